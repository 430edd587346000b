namespace Berth.Tests.Infrastructure;

/// <summary>
/// The ahead-of-time compiled `berth` that scripts/package.sh makes (artifacts/package/berth-VERSION-RID/berth, the
/// newest), or the one BERTH_AOT_CLI names; beside it `berth-server`, which its `server` verb hands over to.
/// </summary>
internal static class AotCli
{
    public const string Variable = "BERTH_AOT_CLI";

    /// <summary>The binary, or null when there is none (see <see cref="Problem"/>).</summary>
    public static string? Path { get; } = Find();

    /// <summary>Null when the binary is there; else why the tests that need it cannot run.</summary>
    public static string? Problem => Path is null
        ? $"no AOT client: run scripts/package.sh (it makes artifacts/package/berth-VERSION-RID/berth), or set {Variable}"
        : null;

    /// <summary>Runs the binary with the same environment rules as <see cref="CliRun"/>.</summary>
    public static Task<CliRun.Result> RunAsync(params string[] args) => RunWithAsync(null, args);

    /// <summary>Runs the binary with extra environment variables.</summary>
    public static Task<CliRun.Result> RunWithAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        CliRun.RunProgramAsync([Path ?? throw new InvalidOperationException(Problem)], args, environment);

    /// <summary>Runs the binary against <paramref name="server"/> (BERTH_HOST set to it).</summary>
    public static Task<CliRun.Result> RunAsync(BerthServerProcess server, params string[] args) => RunWithAsync(server.HostEnvironment, args);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            return File.Exists(named) ? System.IO.Path.GetFullPath(named) : null;
        }

        var packages = new DirectoryInfo(System.IO.Path.Combine(RepoPaths.Root, "artifacts", "package"));
        return packages.Exists
            // Only this machine's kind: a package made for another one (scripts/package.sh --rid linux-arm64) cannot run here.
            ? packages.GetDirectories($"berth-*-{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}").Select(d => new FileInfo(System.IO.Path.Combine(d.FullName, "berth")))
                .Where(f => f.Exists).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
            : null;
    }
}

/// <summary>
/// A test of the AOT-compiled `berth` (<see cref="AotCli"/>). Without the binary it is skipped on a developer's machine;
/// with CI=true it runs anyway and fails, so a CI run that did not package cannot pass by skipping.
/// </summary>
public sealed class AotFactAttribute : FactAttribute
{
    public AotFactAttribute()
    {
        if (AotCli.Problem is { } problem && !DockerEngine.IsCi)
        {
            Skip = problem + " (with CI=true this test fails instead)";
        }
    }

    /// <summary>The test also needs the Docker engine of scripts/test.sh (skipped without it, as <see cref="DockerFactAttribute"/>).</summary>
    public bool NeedsDocker
    {
        get;
        set
        {
            field = value;
            if (value && Skip is null && DockerEngine.Problem() is { } problem && !DockerEngine.IsCi)
            {
                Skip = $"no Docker engine: {problem} (run scripts/start-docker.sh; with CI=true this test fails instead)";
            }
        }
    }
}
