using Berth.Store;

namespace Berth.Pipeline;

/// <summary>What one pipeline pass does for a stack; empty when nothing changes.</summary>
public sealed record PipelinePlan(IReadOnlyList<PipelineStep> Steps)
{
    public static PipelinePlan Nothing { get; } = new([]);

    public bool IsEmpty => Steps.Count == 0;
}

/// <summary>One thing to do: record a state (with its event), deploy a queued release, or start a smoke command.</summary>
public abstract record PipelineStep;

/// <summary>Write <see cref="Deployment"/> (new when its Id is 0) and the event that says what happened.</summary>
public sealed record RecordDeployment(EnvironmentDeploymentRecord Deployment, string EventKind, string Message) : PipelineStep;

/// <summary>Deploy the queued <see cref="Deployment"/> into its environment now (the executor records deploying or failed).</summary>
public sealed record DeployRelease(EnvironmentDeploymentRecord Deployment) : PipelineStep;

/// <summary>Start the analysis gate (and its load command) of the verifying <see cref="Deployment"/>.</summary>
public sealed record StartAnalysis(EnvironmentDeploymentRecord Deployment) : PipelineStep;

/// <summary>Start the smoke gate of the verifying <see cref="Deployment"/>.</summary>
public sealed record StartSmoke(EnvironmentDeploymentRecord Deployment) : PipelineStep;

/// <summary>The event kinds the pipeline writes (also what a webhook would be told).</summary>
public static class PipelineEvents
{
    public const string ReleaseCreated = "release.created";
    public const string WaitingApproval = "promotion.waiting_approval";
    public const string Approved = "promotion.approved";
    public const string Rejected = "promotion.rejected";
    public const string Queued = "promotion.queued";
    public const string Deploying = "promotion.deploying";
    public const string Verifying = "promotion.verifying";
    public const string GatePassed = "gate.passed";
    public const string GateFailed = "gate.failed";
    public const string Succeeded = "promotion.succeeded";
    public const string Failed = "promotion.failed";
    public const string Superseded = "promotion.superseded";
    public const string RollbackQueued = "rollback.queued";
}
