using System.Collections.Concurrent;
using Berth.Engine.Gates;
using Berth.Routing;
using Berth.Spec;

namespace Berth.Pipeline;

/// <summary>Where an environment's analysis gate stands: measurements passed and inconclusive, the failure if one failed, the last summary.</summary>
public sealed record AnalysisObservation(int Passed, int Inconclusive, string? Failure, string LastSummary);

/// <summary>
/// Carries out analysis gates: starts the gate's load command with it, then once per interval measures every routed
/// service's new release from the routers' KPIs (<see cref="IKpiSource"/>) and judges it (<see cref="AnalysisJudge"/>,
/// the canary's judge): all passed is a passed measurement, one failed service fails it, too little traffic anywhere is
/// inconclusive. Kept in memory: after a server restart the analysis starts again.
/// </summary>
public sealed class AnalysisGateRunner(IKpiSource kpis, TimeProvider time, Security.HostCommandPolicy? hostCommands = null) : IDisposable
{
    private readonly ConcurrentDictionary<long, Progress> _running = new();
    private readonly SmokeTestRunner _load = new(hostCommands);

    /// <summary>Starts the gate for a deployment (once): its clock, and its load command if any.</summary>
    public void Start(long deployment, GatesSpec gates, SmokeCommand? load)
    {
        if (_running.TryAdd(deployment, new Progress(time.GetUtcNow())) && load is not null && gates.Analysis is not null)
        {
            _load.Start(deployment, load);
        }
    }

    /// <summary>
    /// The gate's state, measuring first when an interval has passed since the last measurement; null when not started.
    /// <paramref name="services"/>: the routed services (STACK-ENV_SERVICE) and the release each must be measured on.
    /// </summary>
    public AnalysisObservation? Observe(long deployment, AnalysisSpec analysis, IReadOnlyDictionary<string, int> services)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (!_running.TryGetValue(deployment, out var progress))
        {
            return null;
        }

        lock (progress)
        {
            var now = time.GetUtcNow();
            var due = progress.LastAt + analysis.Interval;
            if (progress.Failure is null && now >= due && Read(analysis, services, due, now) is { } read)
            {
                Measure(progress, analysis, services, read, AnalysisInterval.MeasuredUntil(due, now));
            }

            return new AnalysisObservation(progress.Passed, progress.Inconclusive, progress.Failure, progress.LastSummary);
        }
    }

    /// <summary>Drops a gate that ended (its load command keeps its own timeout).</summary>
    public void Forget(long deployment)
    {
        _running.TryRemove(deployment, out _);
        _load.Forget(deployment);
    }

    public void Dispose() => _load.Dispose();

    /// <summary>Every service's traffic over the interval that ended at <paramref name="due"/> (<see cref="AnalysisInterval"/>); null while one is not all reported.</summary>
    private Dictionary<string, KpiSnapshot>? Read(AnalysisSpec analysis, IReadOnlyDictionary<string, int> services, DateTimeOffset due, DateTimeOffset now)
    {
        var read = new Dictionary<string, KpiSnapshot>(StringComparer.Ordinal);
        foreach (var (service, release) in services)
        {
            if (AnalysisInterval.Read(kpis, service, release, analysis.Interval, due, now) is not { } snapshot)
            {
                return null;
            }

            read[service] = snapshot;
        }

        return read;
    }

    private static void Measure(Progress progress, AnalysisSpec analysis, IReadOnlyDictionary<string, int> services, Dictionary<string, KpiSnapshot> read, DateTimeOffset measuredUntil)
    {
        progress.LastAt = measuredUntil;
        var judged = services.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (Service: s.Key, Result: Judge(analysis, read[s.Key])))
            .ToList();
        var failed = judged.Where(j => j.Result.Outcome == AnalysisOutcome.Failed).ToList();
        var inconclusive = judged.Where(j => j.Result.Outcome == AnalysisOutcome.Inconclusive).ToList();
        progress.LastSummary = judged.Count == 0
            ? "no service with a published port to measure"
            : string.Join("; ", judged.Select(j => $"{j.Service} release {services[j.Service]}: {j.Result.Summary}"));
        if (failed.Count > 0)
        {
            progress.Failures++;
            if (progress.Failures > analysis.FailureLimit)
            {
                progress.Failure = $"measurement {progress.Passed + progress.Failures + progress.Inconclusive}: {progress.LastSummary}";
            }
        }
        else if (inconclusive.Count > 0 || judged.Count == 0)
        {
            progress.Inconclusive++;
        }
        else
        {
            progress.Passed++;
        }
    }

    private static AnalysisMeasurement Judge(AnalysisSpec analysis, KpiSnapshot candidate) =>
        AnalysisJudge.Judge(analysis with { Metrics = analysis.Metrics.Where(m => m.MaxRatio is null).ToList() is { Count: > 0 } absolute ? absolute : AnalysisJudge.DefaultMetrics }, candidate, candidate);

    private sealed class Progress(DateTimeOffset startedAt)
    {
        public DateTimeOffset LastAt { get; set; } = startedAt;
        public int Passed { get; set; }
        public int Failures { get; set; }
        public int Inconclusive { get; set; }
        public string? Failure { get; set; }
        public string LastSummary { get; set; } = "no measurement yet";
    }
}
