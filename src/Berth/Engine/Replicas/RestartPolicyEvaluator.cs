using Berth.Spec;

namespace Berth.Engine.Replicas;

/// <summary>Docker Swarm's restart_policy semantics as a pure function: condition, delay, max_attempts, window.</summary>
public static class RestartPolicyEvaluator
{
    /// <param name="policy">The service's restart_policy.</param>
    /// <param name="exitCode">The exit code, or null when unknown (lost while the server was down): counted as a failure.</param>
    /// <param name="exitedAt">When the replica exited.</param>
    /// <param name="previousRestarts">When this slot was restarted before.</param>
    /// <param name="now">The current time.</param>
    public static RestartDecision Decide(
        RestartPolicySpec policy,
        int? exitCode,
        DateTimeOffset exitedAt,
        IReadOnlyList<DateTimeOffset> previousRestarts,
        DateTimeOffset now)
    {
        var exit = exitCode is null ? "exit status unknown" : $"exit code {exitCode}";
        if (policy.Condition == RestartConditions.None)
        {
            return RestartDecision.Stay($"not restarted: {exit}, restart_policy condition none");
        }

        if (policy.Condition == RestartConditions.OnFailure && exitCode == 0)
        {
            return RestartDecision.Stay("not restarted: exited cleanly (code 0), restart_policy condition on-failure");
        }

        // Swarm: max_attempts 0 (or unset) means no limit; attempts are counted within the window when one is set.
        if (policy.MaxAttempts is > 0 and var maxAttempts)
        {
            var counted = policy.Window is { } window && window > TimeSpan.Zero
                ? previousRestarts.Count(at => at >= now - window)
                : previousRestarts.Count;
            if (counted >= maxAttempts)
            {
                var within = policy.Window is { } w && w > TimeSpan.Zero ? $" within {DurationText.Format(w)}" : "";
                return RestartDecision.GiveUp($"gave up after {counted} restarts{within} (max_attempts {maxAttempts}); last {exit}");
            }
        }

        return RestartDecision.RestartAt(exitedAt + policy.Delay, $"{exit}; restarting after {DurationText.Format(policy.Delay)}");
    }
}
