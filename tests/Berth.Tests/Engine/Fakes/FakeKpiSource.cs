using System.Collections.Concurrent;
using Berth.Routing;

namespace Berth.Tests.Engine.Fakes;

/// <summary>KPIs a test sets per release: requests per second, error rate and p95 over any window.</summary>
internal sealed class FakeKpiSource : IKpiSource
{
    private readonly ConcurrentDictionary<int, (double PerSecond, double ErrorRate, double P95Ms)> _releases = new();

    /// <summary>Every (release, window) read, in order.</summary>
    public ConcurrentQueue<(int Release, TimeSpan Window)> Reads { get; } = new();

    /// <summary>Release <paramref name="release"/> serves <paramref name="perSecond"/> requests a second, that many fail, at that p95.</summary>
    public void Set(int release, double perSecond, double errorRate = 0, double p95Ms = 20) => _releases[release] = (perSecond, errorRate, p95Ms);

    /// <summary>Runs on every read: a hook for what happens while a pass plans (e.g. a command landing).</summary>
    public Action? OnRead { get; set; }

    /// <summary>The routers' reports have reached this time (null: all of it at once); windows ending later wait.</summary>
    public DateTimeOffset? ReportedUntil { get; set; }

    public KpiSnapshot? ForReleaseEndingAt(string service, int release, TimeSpan window, DateTimeOffset end) =>
        ReportedUntil is { } reported && end > reported ? null : ForRelease(service, release, window);

    public KpiSnapshot ForRelease(string service, int release, TimeSpan window)
    {
        Reads.Enqueue((release, window));
        OnRead?.Invoke();
        var (perSecond, errorRate, p95) = _releases.GetValueOrDefault(release);
        var requests = (long)Math.Round(perSecond * window.TotalSeconds);
        var errors = (long)Math.Round(requests * errorRate);
        return new KpiSnapshot(window, requests, requests - errors, 0, 0, errors, 0, p95 / 2, p95, p95 * 1.2);
    }
}
