using Berth.Artifacts;
using Berth.Cli.Api;
using Berth.Cli.Commands.Build;
using Berth.Cli.Output;
using Berth.Images;
using Berth.Spec;

namespace Berth.Cli.Commands.Deploy;

/// <summary>
/// Before a deploy, each service that runs from its artifact (<c>x-berth.process.artifact: true</c>) gets one: its
/// <c>x-berth.artifact.command</c> runs when the output folder is missing (as <c>docker compose up</c> builds a missing
/// image), or always with <c>--build</c>; the folder is packed (fixed form: same files, same digest), uploaded unless the server has that digest, and
/// the spec sent names it.
/// </summary>
internal static class ArtifactUploader
{
    public static async Task<ComposeSpec> PrepareAsync(BerthApiClient client, ComposeSpec spec, bool rebuild, Spectre.Console.IAnsiConsole people, CancellationToken cancellationToken)
    {
        var services = new Dictionary<string, ServiceSpec>(StringComparer.Ordinal);
        foreach (var (name, service) in spec.Services)
        {
            services[name] = service.Berth is { Process: { FromArtifact: true } process, Artifact: { } artifact } && service.Build is { } build
                ? service with { Berth = service.Berth with { Process = process with { ArtifactDigest = await UploadAsync(client, name, build, artifact, rebuild, people, cancellationToken).ConfigureAwait(false) } } }
                : service;
        }

        return spec with { Services = services };
    }

    private static async Task<string> UploadAsync(
        BerthApiClient client, string service, BuildSpec build, ArtifactSpec artifact, bool rebuild, Spectre.Console.IAnsiConsole people, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(Path.Combine(build.Context, artifact.Output));
        if (rebuild || !Directory.Exists(output))
        {
            ConsoleText.WriteLine(people, rebuild ? $"Building artifact {service} (--build)" : $"Building artifact {service}: {output} is missing");
            if (await ArtifactCommand.RunAsync(service, build, artifact, new BuildProgressPrinter(people), cancellationToken).ConfigureAwait(false) is { } failed)
            {
                throw new CliInputException($"service {service}: {failed}");
            }
        }

        var package = Path.Combine(Path.GetTempPath(), $"berth-artifact-{Guid.NewGuid():N}.tar.gz");
        try
        {
            string digest;
            try
            {
                digest = await ArtifactPackage.PackAsync(output, package, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CliInputException($"service {service}: x-berth.artifact.output: {e.Message}");
            }

            if (await client.HasArtifactAsync(digest, cancellationToken).ConfigureAwait(false))
            {
                ConsoleText.WriteLine(people, $"Artifact {service}: {digest} (already on the server)");
                return digest;
            }

            await using var content = File.OpenRead(package);
            var uploaded = await client.UploadArtifactAsync(digest, content, cancellationToken).ConfigureAwait(false);
            ConsoleText.WriteLine(people, $"Artifact {service}: {digest} uploaded ({uploaded.Size / 1024.0:0.#} KiB)");
            return digest;
        }
        finally
        {
            File.Delete(package);
        }
    }
}
