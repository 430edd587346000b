
namespace Berth.Spec;

/// <summary>The service's <c>x-berth</c> extension field: Berth-only settings (ignored by docker).</summary>
public sealed record BerthServiceSpec
{
    /// <summary>How the process runtime runs this service without an image.</summary>
    public ProcessSpec? Process { get; init; }

    /// <summary><c>x-berth.artifact</c>: how <c>berth build</c> makes the service's runnable files from its build context.</summary>
    public ArtifactSpec? Artifact { get; init; }
    public BerthHealthSpec Health { get; init; } = new();

    /// <summary><c>x-berth.router</c>: how the router balances and checks this service; null = defaults.</summary>
    public RouterSpec? Router { get; init; }

    /// <summary><c>x-berth.strategy</c> with <c>x-berth.canary</c> / <c>x-berth.blue_green</c>: how new releases replace the running one.</summary>
    public StrategySpec Strategy { get; init; } = new();

    /// <summary>
    /// <c>x-berth.runtime</c>: the runtime this service must run on (<c>process</c> or <c>swarm</c>); null = whichever the
    /// server runs. A server with another runtime refuses the deploy instead of running the service somewhere unexpected.
    /// </summary>
    public string? Runtime { get; init; }
}

/// <summary>
/// <c>x-berth.artifact</c>: the command that turns the build context into what runs (e.g. <c>dotnet publish -o publish</c>),
/// run by <c>berth build</c> in <c>build.context</c> before the image is built from it, as the build stage of a multi-stage
/// Dockerfile would (no SDK image needed: the image copies <see cref="Output"/>).
/// </summary>
public sealed record ArtifactSpec
{
    /// <summary>Exec form; a string in the file becomes ["/bin/sh", "-c", string]. Runs in build.context.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The folder the command makes, relative to build.context (default: the context itself).</summary>
    public string Output { get; init; } = ".";
}

/// <summary><c>x-berth.process</c>: the command the process runtime starts for each replica.</summary>
public sealed record ProcessSpec
{
    /// <summary>Exec form; a string in the file becomes ["/bin/sh", "-c", string]. May use ${PORT}.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Absolute working directory (resolved against the compose file's folder).</summary>
    public string? WorkingDir { get; init; }

    /// <summary>
    /// <c>x-berth.process.artifact: true</c>: replicas run in the files <c>x-berth.artifact</c> made, packed by
    /// <c>berth deploy</c> and kept by the server under <see cref="ArtifactDigest"/> (not in the working copy).
    /// </summary>
    public bool FromArtifact { get; init; }

    /// <summary>The artifact's digest (<c>sha256:…</c>), set by <c>berth deploy</c>, never read from a file.</summary>
    public string? ArtifactDigest { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary><c>x-berth.health</c>: an HTTP health probe used instead of (or before) the compose test.</summary>
public sealed record BerthHealthSpec
{
    /// <summary>Path probed with HTTP GET on the replica's port; 2xx/3xx = healthy.</summary>
    public string? HttpPath { get; init; }
}
