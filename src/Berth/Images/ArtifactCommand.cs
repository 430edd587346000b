using System.ComponentModel;
using System.Diagnostics;
using Berth.Spec;

namespace Berth.Images;

/// <summary>
/// Runs a service's <c>x-berth.artifact.command</c> in its build context (the build stage of a multi-stage Dockerfile,
/// on the host), streaming its output as progress lines, then checks that it made <c>x-berth.artifact.output</c>.
/// </summary>
public static class ArtifactCommand
{
    /// <summary>Null when the command worked and its output folder exists; otherwise what went wrong.</summary>
    public static async Task<string?> RunAsync(
        string service, BuildSpec build, ArtifactSpec artifact, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(progress);
        if (!Directory.Exists(build.Context))
        {
            return $"build context {build.Context} is not a folder";
        }

        var shown = string.Join(' ', artifact.Command);
        var start = new ProcessStartInfo(artifact.Command[0]) { WorkingDirectory = build.Context };
        foreach (var argument in artifact.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        progress.Report(new BuildProgress(service, BuildProgressKind.Status, $"artifact: {shown}"));
        int exitCode;
        try
        {
            exitCode = await StreamedProcess.RunAsync(start, service, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            return $"x-berth.artifact.command cannot run {artifact.Command[0]} ({e.Message})";
        }

        if (exitCode != 0)
        {
            return $"x-berth.artifact.command exited with code {exitCode}: {shown}";
        }

        var output = Path.GetFullPath(Path.Combine(build.Context, artifact.Output));
        return Directory.Exists(output)
            ? null
            : $"x-berth.artifact.command finished but made no folder {artifact.Output} in {build.Context} (x-berth.artifact.output)";
    }
}
