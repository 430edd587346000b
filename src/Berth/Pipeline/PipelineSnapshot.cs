using Berth.Spec;
using Berth.Store;

namespace Berth.Pipeline;

/// <summary>
/// Everything the <see cref="PipelinePlanner"/> decides from, for one stack: its environments (from its newest release),
/// every passage of a release through an environment, what the runtime shows of the running ones, the smoke commands'
/// results, and the time.
/// </summary>
public sealed record PipelineSnapshot
{
    public required string Stack { get; init; }
    public required IReadOnlyList<EnvironmentSpec> Environments { get; init; }
    public required IReadOnlyList<EnvironmentDeploymentRecord> Deployments { get; init; }

    /// <summary>By deployment id, for the deploying and verifying ones: how their services' rollouts stand.</summary>
    public IReadOnlyDictionary<long, StackObservation> Observations { get; init; } = new Dictionary<long, StackObservation>();

    /// <summary>By deployment id: its smoke command's state (absent: not started).</summary>
    public IReadOnlyDictionary<long, SmokeObservation> Smokes { get; init; } = new Dictionary<long, SmokeObservation>();

    /// <summary>By deployment id: its analysis gate's measurements (absent: not started).</summary>
    public IReadOnlyDictionary<long, AnalysisObservation> Analyses { get; init; } = new Dictionary<long, AnalysisObservation>();

    public required DateTimeOffset Now { get; init; }
}

/// <summary>
/// An environment's stack as the engine runs it after a deploy: every service on the deployed release with its rollout
/// completed (<see cref="Converged"/>), every service running and healthy now (<see cref="Healthy"/>), or why not.
/// </summary>
public sealed record StackObservation(bool Converged, bool Healthy, string? Failure, string Detail)
{
    public static StackObservation InProgress(string detail) => new(false, false, null, detail);

    public static StackObservation Failed(string why) => new(false, false, why, why);
}

/// <summary>A smoke command's state: running, or ended with an exit code (null: killed at its timeout) and its output's end.</summary>
public sealed record SmokeObservation(bool Finished, int? ExitCode, TimeSpan Elapsed, string OutputTail)
{
    public static SmokeObservation Running { get; } = new(false, null, TimeSpan.Zero, "");
}
