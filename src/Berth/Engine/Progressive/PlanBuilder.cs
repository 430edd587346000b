using System.Globalization;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// One planning pass's working copy: the progress and state decided so far, and the entries that explain them. Each
/// change records its decision in the same call, so a plan never holds a decision without the state it describes.
/// </summary>
internal sealed class PlanBuilder
{
    /// <summary>KPI samples during a rollout: every second, so a chart shows its course.</summary>
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    private readonly List<RolloutDecisionRecord> _decisions = [];
    private readonly List<PlannedEvent> _events = [];
    private readonly List<RolloutSampleRecord> _samples = [];

    public PlanBuilder(ProgressiveInput input)
    {
        Input = input;
        Rollout = input.Rollout;
        Progress = input.Rollout.Progress ?? new RolloutProgress { StepStartedAt = input.Rollout.StartedAt, ProgressedAt = input.Rollout.StartedAt };
    }

    public ProgressiveInput Input { get; }

    public RolloutRecord Rollout { get; set; }

    public RolloutProgress Progress { get; set; }

    public DateTimeOffset Now => Input.Now;

    public StrategySpec Strategy => Input.Strategy;

    public int? CandidateReplicas { get; private set; }

    public bool StopCandidates { get; private set; }

    public bool ScaleDownStable { get; set; }

    public StableChange Stable { get; private set; }

    public SmokeRequest? StartSmoke { get; set; }

    public bool ForgetSmoke { get; set; }

    /// <summary>When the background analysis measures next (a wait elsewhere must not sleep past it).</summary>
    public DateTimeOffset? BackgroundWake { get; set; }

    /// <summary>The canary step index for entries of the current step; null for blue/green and after the switch.</summary>
    public int? StepIndex => Rollout.Strategy == StrategySpec.CanaryKind && Progress.Phase != RolloutPhases.Promoted ? Progress.Step : null;

    /// <summary>Wants slots 1..<paramref name="replicas"/> of the new release; the progress shows the same number.</summary>
    public void WantCandidates(int replicas)
    {
        CandidateReplicas = replicas;
        Progress = Progress with { CandidateReplicas = replicas };
    }

    public void Decide(int? step, string kind, string message, IReadOnlyDictionary<string, string>? data = null)
    {
        _decisions.Add(new RolloutDecisionRecord
        {
            RolloutId = Rollout.Id,
            At = Now,
            Step = step,
            Kind = kind,
            Message = message,
            Data = data ?? new Dictionary<string, string>(),
        });
        if (!RolloutDecisionKinds.HasOwnEvent(kind))
        {
            Event($"rollout.{kind}", $"{Input.Service}: {message}");
        }
    }

    public void Event(string kind, string message) => _events.Add(new PlannedEvent(kind, message));

    /// <summary>The current canary step is over: the next one starts now (the progress deadline counts from here).</summary>
    public void FinishStep(string? message)
    {
        var finished = Progress.Step;
        Progress = Progress with { Step = finished + 1, Phase = RolloutPhases.Stepping, StepStartedAt = Now, ProgressedAt = Now, StepAnalysis = new(), WeightDecided = false };
        if (message is not null)
        {
            Decide(finished, RolloutDecisionKinds.StepDone, message);
        }
    }

    public ProgressivePlan Pause(int? step, string reason, string phase)
    {
        Progress = Progress with { Phase = phase };
        Rollout = Rollout with { State = RolloutStates.Paused, Reason = reason };
        Decide(step, RolloutDecisionKinds.Paused, reason);
        Event("rollout.paused", $"{Input.Service}: {reason}");
        return Build(ProgressiveOutcome.Paused, null);
    }

    /// <summary>
    /// Weight 0 at once: before the switch the new release's replicas stop once the router has it; after the switch
    /// the old release becomes the service's release again (it is still up until scale_down_delay).
    /// </summary>
    public ProgressivePlan Abort(string reason, IReadOnlyDictionary<string, string>? data = null)
    {
        var flipBack = Progress.Phase == RolloutPhases.Promoted && Rollout.FromRelease is not null;
        var step = StepIndex;
        Progress = Progress with { Weight = 0, Phase = RolloutPhases.Done };
        Rollout = Rollout with { State = RolloutStates.Aborted, Reason = reason };
        Stable = flipBack ? StableChange.FlipBack : StableChange.None;
        StopCandidates = !flipBack;
        CandidateReplicas = null;
        var what = flipBack ? $"traffic back on release {Rollout.FromRelease}" : "weight 0";
        Decide(step, RolloutDecisionKinds.Aborted, $"aborted ({what}): {reason}", data);
        Event("rollout.aborted", $"{Input.Service}: {Rollout.Strategy} rollout to release {Rollout.ToRelease} aborted ({what}): {reason}");
        return Build(ProgressiveOutcome.Aborted, Now);
    }

    /// <summary>The new release becomes the service's release with 100 % of the traffic; the old one stays up for <paramref name="scaleDownDelay"/>.</summary>
    public ProgressivePlan Switch(TimeSpan scaleDownDelay)
    {
        Progress = Progress with
        {
            Phase = RolloutPhases.Promoted,
            Weight = 100,
            PromotedAt = Now,
            ScaleDownAt = Now + scaleDownDelay,
            ProgressedAt = Now,
            StepAnalysis = new(),
            PromoteRequested = false,
            PromoteFull = false,
        };
        Stable = StableChange.Switch;
        CandidateReplicas = null;
        Decide(null, RolloutDecisionKinds.Promoted, $"release {Rollout.ToRelease} is now stable (100 % of traffic); release {Rollout.FromRelease} kept for {DurationText.Format(scaleDownDelay)}",
            new Dictionary<string, string> { ["scale_down_delay"] = DurationText.Format(scaleDownDelay) });
        Event("rollout.promoted", $"{Input.Service}: release {Rollout.ToRelease} promoted ({Rollout.Strategy})");
        return Build(ProgressiveOutcome.Switched, Now);
    }

    public ProgressivePlan Complete()
    {
        ScaleDownStable = true;
        Progress = Progress with { Phase = RolloutPhases.Done };
        Rollout = Rollout with { State = RolloutStates.Completed };
        Decide(null, RolloutDecisionKinds.Completed, $"release {Rollout.FromRelease} scaled down; rollout to release {Rollout.ToRelease} completed");
        Event("rollout.completed", $"{Input.Service}: {Rollout.Strategy} rollout to release {Rollout.ToRelease} completed");
        return Build(ProgressiveOutcome.Completed, null);
    }

    /// <summary>Both releases' KPIs as an analysis measurement read them: the samples shown beside its decision.</summary>
    public void RecordSamples(KpiSnapshot candidate, KpiSnapshot stable)
    {
        _samples.Add(Sample(Input.StableRelease, "stable", stable));
        _samples.Add(Sample(Rollout.ToRelease, "candidate", candidate));
        Progress = Progress with { LastSampleAt = Now };
    }

    public ProgressivePlan Wait(DateTimeOffset? wakeAt) => Build(ProgressiveOutcome.Waiting, wakeAt);

    /// <summary>
    /// The plan. While the rollout stays active its KPIs are sampled every <see cref="SampleEvery"/> (unless a
    /// measurement just did), and the next look is no later than the next sample.
    /// </summary>
    public ProgressivePlan Build(ProgressiveOutcome outcome, DateTimeOffset? wakeAt)
    {
        var active = Rollout.IsActive;
        if (active && (Progress.LastSampleAt is not { } last || Now - last >= SampleEvery))
        {
            var window = KpiWindow();
            RecordSamples(Input.Kpis.ForRelease(Input.Service, Rollout.ToRelease, window), Input.Kpis.ForRelease(Input.Service, Input.StableRelease, window));
        }

        if (active && (wakeAt is null || Now + SampleEvery < wakeAt))
        {
            wakeAt = Now + SampleEvery;
        }

        var rollout = Rollout with { Progress = Progress };
        var read = Input.Rollout;
        var changed = rollout.State != read.State || rollout.Reason != read.Reason || rollout.Progress != read.Progress;
        rollout = changed ? rollout with { UpdatedAt = Now } : read;
        var serviceRelease = Stable switch
        {
            StableChange.Switch => rollout.ToRelease,
            StableChange.FlipBack => rollout.FromRelease ?? Input.ServiceRelease,
            _ => Input.ServiceRelease,
        };
        return new ProgressivePlan
        {
            Rollout = rollout,
            RolloutChanged = changed,
            Stable = Stable,
            CandidateReplicas = CandidateReplicas,
            StopCandidates = StopCandidates,
            ScaleDownStable = ScaleDownStable,
            Route = RouteSplit.Of(serviceRelease, rollout, Strategy),
            Decisions = _decisions.ToList(),
            Events = _events.ToList(),
            Samples = _samples.ToList(),
            StartSmoke = StartSmoke,
            ForgetSmoke = ForgetSmoke,
            Outcome = outcome,
            WakeAt = wakeAt,
        };
    }

    private TimeSpan KpiWindow() => RolloutKpiWindow.Of(Rollout.Strategy, Progress, Strategy);

    private RolloutSampleRecord Sample(int release, string role, KpiSnapshot kpis) => new()
    {
        RolloutId = Rollout.Id,
        At = Now,
        Release = release,
        Role = role,
        Weight = Progress.Weight,
        WindowSeconds = kpis.Window.TotalSeconds,
        Requests = kpis.Requests,
        ErrorRate = kpis.ErrorRate,
        P50Ms = kpis.P50Ms,
        P95Ms = kpis.P95Ms,
        P99Ms = kpis.P99Ms,
    };

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
