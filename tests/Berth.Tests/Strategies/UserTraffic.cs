using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Tests.Strategies;

/// <summary>
/// Bounded load through a front door from many distinct users (X-User header): every request is recorded with its
/// user, the version that answered, its outcome, when it started and when it completed, so tests can check
/// stickiness, failures and which release served between two moments (a request started before a switch may still
/// be routed after it: what was surely routed before a moment completed before it). <paramref name="pause"/> between
/// requests keeps the rate low when wanted.
/// </summary>
internal sealed class UserTraffic
{
    private readonly List<Task> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public sealed record Sample(string User, string? Version, bool Ok, TimeSpan StartedAt, string? Error)
    {
        /// <summary>When the answer (or the failure) came back, on the same clock as <see cref="StartedAt"/>.</summary>
        public TimeSpan CompletedAt { get; init; }
    }

    public UserTraffic(int port, int workers, int users, TimeSpan maxDuration, TimeSpan pause = default)
    {
        _stop.CancelAfter(maxDuration);
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            _workers.Add(Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var next = worker;
                while (!_stop.IsCancellationRequested)
                {
                    var user = $"user-{next % users}";
                    next += workers;
                    var started = _clock.Elapsed;
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/api/articles"));
                    request.Headers.Add("X-User", user);
                    try
                    {
                        using var response = await http.SendAsync(request);
                        var version = response.Headers.TryGetValues("X-Articles-Version", out var values) ? values.Single() : null;
                        _samples.Enqueue(new Sample(user, version, response.IsSuccessStatusCode, started, response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))
                        {
                            CompletedAt = _clock.Elapsed,
                        });
                    }
                    catch (HttpRequestException e)
                    {
                        _samples.Enqueue(new Sample(user, null, false, started, e.Message) { CompletedAt = _clock.Elapsed });
                    }
                    catch (TaskCanceledException) when (_stop.IsCancellationRequested)
                    {
                    }

                    if (pause > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(pause, _stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }
            }));
        }
    }

    /// <summary>Time since the traffic started, on the clock samples use.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    public async Task<IReadOnlyList<Sample>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        return Samples;
    }
}
