using System.Text.Json;

namespace Berth.Spec;

/// <summary>One service of a compose file, normalized (short forms expanded, defaults applied).</summary>
public sealed record ServiceSpec
{
    public required string Name { get; init; }
    public string? Image { get; init; }

    /// <summary>
    /// The exact image replicas run, set by the server at deploy (Swarm runtime) and never read from a file:
    /// <c>IMAGE@sha256:…</c> (the manifest digest the registry gave for <see cref="Image"/>'s tag), or the engine's local
    /// image ID <c>sha256:…</c> for an image never pushed. Part of the release's fingerprint: a tag moved in the registry
    /// makes a new release when deployed again, and a rollback runs exactly the old bytes. Null on the process runtime.
    /// </summary>
    public string? PinnedImage { get; init; }

    /// <summary>
    /// The deploy target whose runtime runs the replicas, set by the server from the environment the stack is deployed
    /// into (x-berth.environments.*.target) and never read from a file; null for the server's own runtime (<c>local</c>).
    /// Part of the release's fingerprint: an environment moved to another target rolls onto it.
    /// </summary>
    public string? Target { get; init; }
    public BuildSpec? Build { get; init; }

    /// <summary>Command in exec form; a string in the file is split like a shell would (no shell runs it).</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Environment after env_file and environment are merged; a null value means "declared, not set".</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyList<PortSpec> Ports { get; init; } = [];
    public HealthcheckSpec? Healthcheck { get; init; }
    public IReadOnlyDictionary<string, DependsOnSpec> DependsOn { get; init; } = new Dictionary<string, DependsOnSpec>();
    public IReadOnlyList<ServiceSecretSpec> Secrets { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? WorkingDir { get; init; }
    public DeploySpec Deploy { get; init; } = new();

    /// <summary>Time between SIGTERM and SIGKILL when a replica stops (compose default 10s).</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Berth's own settings, from the service's <c>x-berth</c> field.</summary>
    public BerthServiceSpec Berth { get; init; } = new();

    /// <summary>Other <c>x-*</c> fields of the service, kept as JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();
}
