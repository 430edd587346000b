namespace Berth.Spec;

/// <summary><c>deploy.update_config</c> / <c>deploy.rollback_config</c>, Swarm defaults.</summary>
public sealed record UpdateConfigSpec
{
    /// <summary>Replicas updated at once; 0 = all at once. Default 1.</summary>
    public int Parallelism { get; init; } = 1;
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>pause (default), continue or rollback.</summary>
    public string FailureAction { get; init; } = "pause";
    public TimeSpan Monitor { get; init; } = TimeSpan.FromSeconds(5);
    public double MaxFailureRatio { get; init; }

    /// <summary>stop-first (default) or start-first.</summary>
    public string Order { get; init; } = "stop-first";
}
