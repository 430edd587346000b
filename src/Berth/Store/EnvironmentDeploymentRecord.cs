namespace Berth.Store;

/// <summary>
/// One stack release's passage through one environment (a row of <c>berth history</c>): how it got there (promotion,
/// rollback), where it stands (<see cref="EnvironmentDeploymentStates"/>), who acted, and each gate's result.
/// </summary>
public sealed record EnvironmentDeploymentRecord
{
    public long Id { get; init; }
    public required string Stack { get; init; }
    public required string Environment { get; init; }
    public required int Release { get; init; }

    /// <summary><see cref="EnvironmentDeploymentKinds"/>.</summary>
    public required string Kind { get; init; }
    public required string State { get; init; }
    public string? Reason { get; init; }

    /// <summary>Who started it (release creator, approver, the one who rolled back), and their comment.</summary>
    public string? Actor { get; init; }
    public string? Comment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it entered its current state (gates measure from the start of <c>verifying</c>).</summary>
    public required DateTimeOffset StateSince { get; init; }

    /// <summary>By service (STACK-ENV_SERVICE): the service release the deploy made; set once deploying.</summary>
    public IReadOnlyDictionary<string, int> ServiceReleases { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<GateResult> Gates { get; init; } = [];
}

/// <summary>A gate's outcome with the numbers that decided it.</summary>
public sealed record GateResult(string Gate, bool Passed, string Message, DateTimeOffset At);

/// <summary>How a release came to an environment.</summary>
public static class EnvironmentDeploymentKinds
{
    /// <summary>Entered the first environment at <c>release create</c>, or the next one after the gates.</summary>
    public const string Promotion = "promotion";

    /// <summary><c>berth rollback STACK --env E</c>: an earlier release again; it does not move on to later environments.</summary>
    public const string Rollback = "rollback";
}

/// <summary>Where a release stands in an environment.</summary>
public static class EnvironmentDeploymentStates
{
    /// <summary>Entry is manual: waits for <c>berth approve</c>.</summary>
    public const string WaitingApproval = "waiting_approval";

    /// <summary>May enter; waits for the environment's current rollout to end (one at a time).</summary>
    public const string Queued = "queued";

    /// <summary>Deployed; its services roll out.</summary>
    public const string Deploying = "deploying";

    /// <summary>Rolled out; its gates are being checked.</summary>
    public const string Verifying = "verifying";

    /// <summary>Rolled out and passed its gates: the environment's current release, free to go on.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The deploy was refused, a rollout stopped short or a gate failed; see the reason.</summary>
    public const string Failed = "failed";

    public const string Rejected = "rejected";

    /// <summary>A newer release took its place before it entered.</summary>
    public const string Superseded = "superseded";

    /// <summary>Has not ended: waiting, queued, deploying or verifying.</summary>
    public static bool IsOpen(string state) => state is WaitingApproval or Queued or Deploying or Verifying;

    /// <summary>Owns the environment's runtime now (one at a time).</summary>
    public static bool IsRunning(string state) => state is Deploying or Verifying;
}
