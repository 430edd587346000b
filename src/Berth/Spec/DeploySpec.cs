namespace Berth.Spec;

/// <summary>The <c>deploy</c> section, with Docker Swarm's defaults applied.</summary>
public sealed record DeploySpec
{
    /// <summary>replicated (default) or global.</summary>
    public string Mode { get; init; } = DeployModes.Replicated;
    public int Replicas { get; init; } = 1;
    public RestartPolicySpec RestartPolicy { get; init; } = new();
    public UpdateConfigSpec UpdateConfig { get; init; } = new();
    public UpdateConfigSpec RollbackConfig { get; init; } = new();
    public ResourcesSpec Resources { get; init; } = new();
    public PlacementSpec Placement { get; init; } = new();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>vip (default) or dnsrr.</summary>
    public string EndpointMode { get; init; } = "vip";
}

/// <summary>Values allowed for <c>deploy.mode</c>.</summary>
public static class DeployModes
{
    public const string Replicated = "replicated";
    public const string Global = "global";
}
