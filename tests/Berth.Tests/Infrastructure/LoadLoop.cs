namespace Berth.Tests.Infrastructure;

/// <summary>GETs from several workers through a front door until stopped or a deadline; counts failures and versions seen.</summary>
internal sealed class LoadLoop
{
    private readonly List<Task> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly HashSet<string> _versions = [];
    private int _ok;

    public LoadLoop(int port, int workers, TimeSpan maxDuration)
        : this(new Uri($"http://127.0.0.1:{port}/"), workers, maxDuration)
    {
    }

    /// <summary>The load on a front door at <paramref name="frontDoor"/> (e.g. a node's address and the published port).</summary>
    public LoadLoop(Uri frontDoor, int workers, TimeSpan maxDuration)
    {
        var articles = new Uri(frontDoor, "/api/articles");
        _stop.CancelAfter(maxDuration);
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await http.GetAsync(articles);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref _ok);
                            lock (_versions)
                            {
                                _versions.Add(response.Headers.GetValues("X-Articles-Version").Single());
                            }
                        }
                        else
                        {
                            Fail($"{(int)response.StatusCode}");
                        }
                    }
                    catch (HttpRequestException exception)
                    {
                        Fail(exception.Message);
                    }
                }
            }));
        }
    }

    private void Fail(string why)
    {
        lock (_failures)
        {
            _failures.Add(why);
        }
    }

    /// <summary>The counts so far, the load going on.</summary>
    public LoadResult Snapshot()
    {
        lock (_failures)
        {
            return new LoadResult(Volatile.Read(ref _ok), _failures.Count, string.Join("; ", _failures.Take(5)), []);
        }
    }

    public async Task<LoadResult> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        lock (_failures)
        {
            return new LoadResult(_ok, _failures.Count, string.Join("; ", _failures.Take(5)), [.. _versions]);
        }
    }
}

internal sealed record LoadResult(int Ok, int Failed, string Failures, IReadOnlyList<string> Versions);
