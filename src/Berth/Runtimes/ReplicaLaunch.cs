namespace Berth.Runtimes;

/// <summary>Everything needed to start one replica of a release; built by the engine from the release's spec.</summary>
public sealed record ReplicaLaunch
{
    public required string ReplicaId { get; init; }
    public required string Service { get; init; }
    public required int Release { get; init; }
    public required int Slot { get; init; }

    /// <summary>Exec form; ${PORT} / $PORT in arguments and environment values are replaced by the replica's port.</summary>
    public required IReadOnlyList<string> Command { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How health is judged; <see cref="HealthProbe.None"/> means healthy once running.</summary>
    public HealthProbe Health { get; init; } = HealthProbe.None;
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The stack the service belongs to (names the Swarm overlay network and secrets); null when unknown.</summary>
    public string? Stack { get; init; }

    /// <summary>The release's whole spec: what an image-based runtime (Swarm) maps to its own service definition.</summary>
    public Spec.ServiceSpec? Spec { get; init; }

    /// <summary>
    /// Contents of the secrets the release grants, by source name (read by the CLI at deploy from the compose file's
    /// top-level <c>secrets:</c>, kept in the store with the release). Never logged or shown.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> SecretContents { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>External secrets the release grants: source name → the name of the secret the runtime already has (Swarm).</summary>
    public IReadOnlyDictionary<string, string> ExternalSecrets { get; init; } = new Dictionary<string, string>();
}
