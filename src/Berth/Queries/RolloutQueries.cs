using Berth.Api;
using Berth.Engine;
using Berth.Engine.Progressive;
using Berth.Engine.Replicas;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Queries;

/// <summary>Read models for `releases`, `rollout status` and `rollout report`.</summary>
public sealed class RolloutQueries
{
    private readonly BerthStore _store;
    private readonly IKpiSource _metrics;

    public RolloutQueries(BerthStore store, IKpiSource metrics)
    {
        _store = store;
        _metrics = metrics;
    }

    public Task<IReadOnlyList<ReleaseInfo>> GetReleasesAsync(string service, CancellationToken cancellationToken) =>
        _store.ReadAsync<IReadOnlyList<ReleaseInfo>>(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var rollouts = await tx.GetRolloutsAsync(service, cancellationToken);
                var failed = rollouts.Where(r => r.State is RolloutStates.RolledBack or RolloutStates.Paused or RolloutStates.Aborted).Select(r => r.ToRelease).ToHashSet();
                var previous = rollouts.LastOrDefault(r => r.ToRelease == owner.Release)?.FromRelease;
                return (await tx.GetReleasesAsync(service, cancellationToken))
                    .Select(r => new ReleaseInfo
                    {
                        Number = r.Number,
                        CreatedAt = r.CreatedAt,
                        Summary = r.Summary,
                        Artifact = ServiceQueries.ArtifactOf(r.Spec),
                        Digest = Images.ImagePin.DigestOf(r.Spec.PinnedImage) ?? r.Spec.Berth.Process?.ArtifactDigest,
                        PinnedImage = r.Spec.PinnedImage,
                        State = r.Number == owner.Release ? "current" : failed.Contains(r.Number) ? "failed" : r.Number == previous ? "previous" : "old",
                    })
                    .ToList();
            },
            cancellationToken);

    public Task<RolloutInfo> GetLatestAsync(string service, CancellationToken cancellationToken) =>
        _store.ReadAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var rollout = await tx.GetLatestRolloutAsync(service, cancellationToken)
                    ?? throw ProblemException.NotFound($"service {service} has had no rollout yet (its first deploy started release {owner.Release} directly)");
                return await DescribeAsync(tx, rollout, owner, cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// `rollout report`: the rollout to <paramref name="release"/> (default: the latest blue/green or canary rollout),
    /// its settings, timeline and KPI samples.
    /// </summary>
    public Task<RolloutReport> GetReportAsync(string service, int? release, CancellationToken cancellationToken) =>
        _store.ReadAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var rollouts = await tx.GetRolloutsAsync(service, cancellationToken);
                var rollout = release is { } number
                    ? rollouts.LastOrDefault(r => r.ToRelease == number)
                        ?? throw ProblemException.NotFound(
                            $"service {service} has no rollout to release {number}" + (rollouts.Count == 0
                                ? " (it has had no rollout yet)"
                                : $"; its rollouts went to releases {string.Join(", ", rollouts.Select(r => r.ToRelease).Distinct())}"))
                    : rollouts.LastOrDefault(r => r.Strategy != StrategySpec.RollingKind)
                        ?? throw ProblemException.NotFound(
                            $"service {service} has had no blue/green or canary rollout; name a release (`berth rollout report {service} N`) to report a rolling one");
                var info = await DescribeAsync(tx, rollout, owner, cancellationToken);
                var spec = (await tx.GetReleaseAsync(service, rollout.ToRelease, cancellationToken))?.Spec;
                var settings = new List<string>();
                settings.AddRange(spec is null ? [$"strategy: {rollout.Strategy}"] : StrategyText.Settings(spec.Berth.Strategy));
                if (rollout.Strategy == StrategySpec.RollingKind)
                {
                    settings.Add(
                        $"update_config: parallelism {rollout.Config.Parallelism}, order {rollout.Config.Order}, monitor {DurationText.Format(rollout.Config.Monitor)}, " +
                        $"delay {DurationText.Format(rollout.Config.Delay)}, failure_action {rollout.Config.FailureAction}");
                }

                var decisions = await tx.GetRolloutDecisionsAsync(rollout.Id, cancellationToken);
                var samples = await tx.GetRolloutSamplesAsync(rollout.Id, cancellationToken);
                return new RolloutReport
                {
                    Rollout = info,
                    Settings = settings,
                    Thresholds = spec is null ? [] : StrategyThresholds.Of(spec.Berth.Strategy),
                    Timeline = decisions.Select(d => new RolloutDecisionInfo
                    {
                        At = d.At,
                        Step = d.Step + 1,
                        Kind = d.Kind,
                        Message = d.Message,
                        Data = d.Data,
                    }).ToList(),
                    Samples = samples.Select(s => new RolloutSampleInfo
                    {
                        At = s.At,
                        Release = s.Release,
                        Role = s.Role,
                        Weight = s.Weight,
                        Requests = s.Requests,
                        WindowSeconds = s.WindowSeconds,
                        RequestsPerSecond = s.WindowSeconds > 0 ? s.Requests / s.WindowSeconds : 0,
                        ErrorRate = s.ErrorRate,
                        P50Ms = s.P50Ms,
                        P95Ms = s.P95Ms,
                        P99Ms = s.P99Ms,
                    }).ToList(),
                };
            },
            cancellationToken);

    private async Task<RolloutInfo> DescribeAsync(StoreTransaction tx, RolloutRecord rollout, ServiceRecord owner, CancellationToken cancellationToken)
    {
        var replicas = await tx.GetReplicasAsync(rollout.Service, cancellationToken);
        var info = Describe(rollout, owner, replicas);
        if (rollout.Progress is null || rollout.Strategy == StrategySpec.RollingKind)
        {
            return info;
        }

        var spec = (await tx.GetReleaseAsync(rollout.Service, rollout.ToRelease, cancellationToken))?.Spec.Berth.Strategy;
        return info with { Progress = DescribeProgress(rollout, rollout.Progress, spec, replicas) };
    }

    private RolloutProgressInfo DescribeProgress(RolloutRecord rollout, RolloutProgress progress, StrategySpec? strategy, IReadOnlyList<ReplicaRecord> replicas)
    {
        var steps = rollout.Strategy == StrategySpec.CanaryKind ? strategy?.Canary?.Steps ?? [] : [];
        var current = progress.Step >= 0 && progress.Step < steps.Count ? steps[progress.Step] : null;
        var window = RolloutKpiWindow.Of(rollout.Strategy, progress, strategy);
        return new RolloutProgressInfo
        {
            Step = steps.Count == 0 ? 0 : Math.Min(progress.Step + 1, steps.Count),
            Steps = steps.Count,
            StepDescription = current is null ? null : CanaryStepText.Describe(current),
            Phase = progress.Phase,
            Weight = progress.Weight,
            CandidateReplicas = progress.CandidateReplicas,
            CandidateReady = replicas.Count(r => r.IsLive && r.Release == rollout.ToRelease && r.IsReady()),
            StepAnalysis = Tally(progress.StepAnalysis),
            BackgroundAnalysis = Tally(progress.BackgroundAnalysis),
            ScaleDownAt = progress.ScaleDownAt,
            Stable = rollout.FromRelease is { } from ? Kpis(rollout.Service, from, window) : null,
            Candidate = Kpis(rollout.Service, rollout.ToRelease, window),
        };
    }

    private KpiInfo Kpis(string service, int release, TimeSpan window)
    {
        var kpis = _metrics.ForRelease(service, release, window);
        return new KpiInfo(kpis.Window.TotalSeconds, kpis.Requests, kpis.ErrorRate, kpis.P50Ms, kpis.P95Ms, kpis.P99Ms);
    }

    private static AnalysisTallyInfo Tally(AnalysisTally tally) => new(tally.Measurements, tally.Failed, tally.Inconclusive);

    public static RolloutInfo Describe(RolloutRecord rollout, ServiceRecord service, IReadOnlyList<ReplicaRecord> replicas) => new()
    {
        Id = rollout.Id,
        Service = rollout.Service,
        Kind = rollout.Kind,
        FromRelease = rollout.FromRelease,
        ToRelease = rollout.ToRelease,
        State = rollout.State,
        Reason = rollout.Reason,
        Total = service.Mode == DeployModes.Global ? 1 : service.DesiredReplicas,
        Updated = replicas.Count(r => r.IsLive && r.Release == rollout.ToRelease && r.IsReady()),
        Failed = rollout.FailedReplicas.Count,
        Parallelism = rollout.Config.Parallelism,
        Order = rollout.Config.Order,
        FailureAction = rollout.Config.FailureAction,
        MonitorSeconds = rollout.Config.Monitor.TotalSeconds,
        StartedAt = rollout.StartedAt,
        UpdatedAt = rollout.UpdatedAt,
        Strategy = rollout.Strategy,
    };
}
