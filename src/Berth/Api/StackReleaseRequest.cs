using Berth.Spec;

namespace Berth.Api;

/// <summary>
/// Body of POST /stacks/{stack}/releases (<c>berth release create</c>): the stack as each environment runs it, loaded by
/// the CLI from the same files with <c>BERTH_ENVIRONMENT</c> set to that environment (each spec lists the environments).
/// </summary>
public sealed record StackReleaseRequest(IReadOnlyDictionary<string, ComposeSpec> Specs)
{
    /// <summary>A label such as a semver or a git sha (<c>--version</c>).</summary>
    public string? Version { get; init; }

    public string? Message { get; init; }
}

/// <summary>Body of POST …/environments/{env}/approve and …/reject.</summary>
public sealed record ApprovalRequest(int Release, string? Comment = null);

/// <summary>Body of POST …/environments/{env}/rollback: the stack release to run again (null: the one before the current).</summary>
public sealed record EnvironmentRollbackRequest(int? ToRelease = null);

/// <summary>A stack release as <c>berth release ls</c> shows it.</summary>
public sealed record StackReleaseInfo(
    string Stack,
    int Number,
    string? Version,
    string? Message,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Environments,
    IReadOnlyDictionary<string, string> Artifacts);

/// <summary>
/// An environment of a stack as <c>berth env ls</c> shows it: the release it runs and since when, the state of its
/// latest passage, and the release waiting for approval to enter it, if any.
/// </summary>
public sealed record EnvironmentInfo(
    string Environment,
    string Stack,
    string Target,
    string Entry,
    int? Release,
    string State,
    DateTimeOffset? Since,
    int? PendingRelease,
    string? Reason);

/// <summary>One release's passage through one environment (<c>berth history</c>).</summary>
public sealed record EnvironmentDeploymentInfo(
    long Id,
    string Environment,
    int Release,
    string? Version,
    string Kind,
    string State,
    string? Reason,
    string? Actor,
    string? Comment,
    DateTimeOffset CreatedAt,
    DateTimeOffset Since,
    IReadOnlyList<GateResultInfo> Gates);

/// <summary>A gate's result with the numbers that decided it.</summary>
public sealed record GateResultInfo(string Gate, bool Passed, string Message, DateTimeOffset At);

/// <summary>
/// A deploy target the server knows (<c>berth target ls</c>): <c>local</c> (kind process or swarm: the server's own
/// runtime) or one an admin added (kind docker: a Swarm manager's Engine API at <paramref name="Endpoint"/>).
/// </summary>
public sealed record TargetInfo(string Name, string Kind, string Description, string? Endpoint = null, bool Tls = false);

/// <summary>
/// <c>berth target add NAME --docker-host URL [--docker-cert-path DIR | --docker-tls-ca F --docker-tls-cert F --docker-tls-key F]</c>: a Docker Swarm manager's Engine
/// API (<c>tcp://HOST:2376</c>, <c>unix:///PATH</c>) and, for mutual TLS, the PEM texts of the engine's CA and of the
/// client certificate and key Berth presents (all three, or none); or <c>berth target add NAME --process</c>
/// (<paramref name="Process"/>): processes on the server's machine, for a server whose own runtime is Swarm.
/// </summary>
public sealed record TargetAddRequest(string Name, string? DockerHost, string? TlsCa = null, string? TlsCert = null, string? TlsKey = null, bool Process = false);

/// <summary>`berth diff STACK --env A --env B`: each environment's current release and what differs between them.</summary>
public sealed record EnvironmentDiffInfo(string From, int? FromRelease, string To, int? ToRelease, IReadOnlyList<DiffLine> Differences);

/// <summary>One difference: the service (by its name in the file), the key, and each side's value (null: absent).</summary>
public sealed record DiffLine(string Service, string Key, string? From, string? To);
