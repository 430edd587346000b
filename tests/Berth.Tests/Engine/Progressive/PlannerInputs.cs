using Berth.Engine;
using Berth.Engine.Gates;
using Berth.Engine.Progressive;
using Berth.Engine.Rolling;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Engine.Progressive;

/// <summary>Planner inputs for table tests: a rollout 1 → 2 of s_web (4 replicas) started at T0, seen at T0 + an offset.</summary>
internal static class PlannerInputs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    public const int Desired = 4;

    public static readonly AnalysisSpec Analysis = new() { Interval = TimeSpan.FromSeconds(10), Count = 2, MinRequests = 5 };

    public static StrategySpec Canary(params CanaryStepSpec[] steps) => new()
    {
        Kind = StrategySpec.CanaryKind,
        Canary = new CanarySpec { Steps = steps, ProgressDeadline = TimeSpan.FromMinutes(2), ScaleDownDelay = TimeSpan.FromSeconds(30) },
    };

    public static StrategySpec CanaryWithBackground(params CanaryStepSpec[] steps) =>
        Canary(steps) with { Canary = Canary(steps).Canary! with { Analysis = Analysis with { Count = null } } };

    public static StrategySpec BlueGreen(bool autoPromote = false, PromotionGateSpec? pre = null, PromotionGateSpec? post = null) => new()
    {
        Kind = StrategySpec.BlueGreenKind,
        BlueGreen = new BlueGreenSpec { AutoPromote = autoPromote, PrePromotion = pre, PostPromotion = post, PreviewPort = 8081, ProgressDeadline = TimeSpan.FromMinutes(2) },
    };

    public static CanaryStepSpec Weight(int weight) => new() { Kind = CanaryStepSpec.WeightKind, Weight = weight };

    public static CanaryStepSpec Pause(int? seconds = null) => new() { Kind = CanaryStepSpec.PauseKind, Pause = seconds is { } s ? TimeSpan.FromSeconds(s) : null };

    public static CanaryStepSpec AnalysisStep(int inconclusiveLimit = 0) =>
        new() { Kind = CanaryStepSpec.AnalysisKind, Analysis = Analysis with { InconclusiveLimit = inconclusiveLimit } };

    public static CanaryStepSpec Replicas(int replicas) => new() { Kind = CanaryStepSpec.ReplicasKind, Replicas = replicas };

    public static CanaryStepSpec Match() => new() { Kind = CanaryStepSpec.MatchKind, Match = new MatchSpec { Header = "X-Beta", Value = "yes" } };

    public static RolloutProgress Progress(int step = 0, int weight = 0, string phase = RolloutPhases.Starting) =>
        new() { Step = step, Weight = weight, Phase = phase, StepStartedAt = T0, ProgressedAt = T0, LastSampleAt = T0 };

    /// <summary>The input at T0 + <paramref name="seconds"/>; slots <paramref name="ready"/> of the side pool are ready.</summary>
    public static ProgressiveInput Input(
        StrategySpec strategy,
        RolloutProgress? progress = null,
        double seconds = 1,
        int[]? ready = null,
        string state = RolloutStates.Updating,
        int serviceRelease = 1,
        ExitedReplica? exited = null,
        SmokeStatus? smoke = null,
        string? routerLag = null,
        FakeKpiSource? kpis = null)
    {
        var rollout = RolloutLedger.New("s_web", "update", 1, 2, new UpdateConfigSpec(), T0) with
        {
            Id = 7,
            Strategy = strategy.Kind,
            State = state,
            Progress = progress ?? Progress(),
        };
        return new ProgressiveInput
        {
            Service = "s_web",
            ServiceRelease = serviceRelease,
            Desired = Desired,
            Rollout = rollout,
            Strategy = strategy,
            Pool = new PoolObservation { ReadySlots = ready ?? [], Exited = exited },
            Kpis = kpis ?? Traffic(errorRate: 0),
            Smoke = smoke,
            RouterLag = routerLag,
            Now = T0.AddSeconds(seconds),
        };
    }

    public static FakeKpiSource Traffic(double errorRate, double perSecond = 10, DateTimeOffset? reportedUntil = null)
    {
        var kpis = new FakeKpiSource { ReportedUntil = reportedUntil };
        kpis.Set(1, perSecond: 50);
        kpis.Set(2, perSecond, errorRate);
        return kpis;
    }
}
