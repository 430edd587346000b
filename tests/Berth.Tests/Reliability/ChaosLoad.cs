using System.Diagnostics;

namespace Berth.Tests.Reliability;

/// <summary>
/// Constant load through a front door (several workers, each at most <paramref name="perWorkerRate"/> requests a
/// second, every request a new user), with a per-second timeline of answers and failures for the report's charts.
/// </summary>
internal sealed class ChaosLoad
{
    private readonly List<Task> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<int, (int Ok, int Failed)> _perSecond = [];
    private readonly List<string> _failures = [];

    public ChaosLoad(int port, int workers, int perWorkerRate, TimeSpan maxDuration)
    {
        _stop.CancelAfter(maxDuration);
        var interval = TimeSpan.FromSeconds(1.0 / perWorkerRate);
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(async () =>
            {
                // No cookie jar: every request is a new user to the router (a cookie would pin a worker to one release,
                // and four workers would be four users, so a 30 % canary could see none of them).
                using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
                var next = _clock.Elapsed;
                while (!_stop.IsCancellationRequested)
                {
                    var ok = false;
                    string? why = null;
                    try
                    {
                        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/articles"));
                        ok = response.IsSuccessStatusCode;
                        why = ok ? null : $"{(int)response.StatusCode}";
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        why = exception.Message;
                    }

                    Count(ok, why);
                    next += interval;
                    var wait = next - _clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, _stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }
            }));
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    private void Count(bool ok, string? why)
    {
        var second = (int)_clock.Elapsed.TotalSeconds;
        lock (_perSecond)
        {
            var (o, f) = _perSecond.GetValueOrDefault(second);
            _perSecond[second] = ok ? (o + 1, f) : (o, f + 1);
            if (why is not null && _failures.Count < 20)
            {
                _failures.Add($"t={_clock.Elapsed.TotalSeconds:F1}s {why}");
            }
        }
    }

    public async Task<ChaosLoadResult> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        lock (_perSecond)
        {
            var timeline = _perSecond.OrderBy(p => p.Key).Select(p => new SecondCounts(p.Key, p.Value.Ok, p.Value.Failed)).ToList();
            return new ChaosLoadResult(timeline.Sum(t => t.Ok), timeline.Sum(t => t.Failed), _clock.Elapsed, [.. _failures], timeline);
        }
    }
}

internal sealed record SecondCounts(int Second, int Ok, int Failed);

internal sealed record ChaosLoadResult(int Ok, int Failed, TimeSpan Duration, IReadOnlyList<string> Failures, IReadOnlyList<SecondCounts> Timeline)
{
    public double Rate => (Ok + Failed) / Duration.TotalSeconds;

    public double FailedShare => Ok + Failed == 0 ? 0 : (double)Failed / (Ok + Failed);
}
