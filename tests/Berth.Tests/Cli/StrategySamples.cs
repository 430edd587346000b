using Berth.Api;

namespace Berth.Tests.Cli;

/// <summary>Canned blue/green and canary DTOs: a canary rollout with progress, and a report with a timeline and samples.</summary>
internal static class StrategySamples
{
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static RolloutInfo Canary(string state = "updating", int step = 2, string phase = "stepping", int weight = 20, string? reason = null) =>
        Samples.Rollout(state: state, reason: reason) with
        {
            Strategy = "canary",
            Progress = new RolloutProgressInfo
            {
                Step = step,
                Steps = 5,
                StepDescription = step == 2 ? "pause (until promote)" : "weight 50",
                Phase = phase,
                Weight = weight,
                CandidateReplicas = 1,
                CandidateReady = 1,
                StepAnalysis = new AnalysisTallyInfo(0, 0, 0),
                BackgroundAnalysis = new AnalysisTallyInfo(4, 1, 2),
                Stable = new KpiInfo(10, 400, 0.0025, 3, 12.5, 20),
                Candidate = new KpiInfo(10, 100, 0.07, 4, 250, 480),
            },
        };

    public static RolloutReport Report(string message = "error_rate 0.12 > 0.05") => new()
    {
        Rollout = Canary(state: "aborted", reason: "analysis failed") with { StartedAt = Start, UpdatedAt = Start.AddSeconds(95) },
        Settings = ["strategy: canary", "steps: 1. weight 20, 2. analysis (3 × 5s), 3. weight 50"],
        Timeline =
        [
            new RolloutDecisionInfo { At = Start, Step = 1, Kind = "weight", Message = "weight 20", Data = new Dictionary<string, string> { ["weight"] = "20" } },
            new RolloutDecisionInfo { At = Start.AddSeconds(65), Step = 2, Kind = "analysis.failed", Message = message, Data = new Dictionary<string, string> { ["metric"] = "error_rate", ["max"] = "0.05", ["measured"] = "0.12", ["requests"] = "57" } },
            new RolloutDecisionInfo { At = Start.AddSeconds(95), Kind = "aborted", Message = "analysis failed" },
        ],
        Samples =
        [
            Sample(5, 1, "stable", 0.001, 11),
            Sample(5, 2, "candidate", 0.02, 14),
            Sample(65, 1, "stable", 0.002, 12),
            Sample(65, 2, "candidate", 0.12, 310),
        ],
    };

    private static RolloutSampleInfo Sample(int seconds, int release, string role, double errors, double p95) => new()
    {
        At = Start.AddSeconds(seconds),
        Release = release,
        Role = role,
        Weight = 20,
        Requests = 50,
        RequestsPerSecond = 10,
        ErrorRate = errors,
        P50Ms = 3,
        P95Ms = p95,
        P99Ms = p95 * 2,
    };
}
