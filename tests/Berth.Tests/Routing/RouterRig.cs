using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Routing;

/// <summary>A real <see cref="YarpTrafficRouter"/> with one HTTP client (no cookie jar) and bounded load loops, all on loopback.</summary>
internal sealed class RouterRig : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly SocketsHttpHandler _handler;

    public RouterRig()
    {
        Metrics = new RouterMetrics(TimeProvider.System);
        Router = new YarpTrafficRouter(Metrics, NullLogger<YarpTrafficRouter>.Instance);
        _handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        Client = new HttpClient(_handler) { Timeout = RequestTimeout };
    }

    public RouterMetrics Metrics { get; }

    public YarpTrafficRouter Router { get; }

    public HttpClient Client { get; }

    public static RoutePool Pool(string name, int release, params TestUpstream[] upstreams) =>
        new(name, release, upstreams.Select(u => u.Destination(release)).ToList());

    /// <summary>A route with one front door on <paramref name="port"/> and a stable pool (release 1) of the given upstreams.</summary>
    public static ServiceRoute Route(string service, int port, params TestUpstream[] stable) => new()
    {
        Service = service,
        FrontDoors = [new FrontDoorAddress("127.0.0.1", port)],
        Stable = Pool("stable", 1, stable),
    };

    public async Task ApplyOrFailAsync(ServiceRoute route)
    {
        var result = await Router.ApplyAsync(route, CancellationToken.None);
        Assert.True(result.Applied, $"ApplyAsync({route.Service}) was refused: {result.Error}");
    }

    public Task<Reply> GetAsync(int port, string path = "/", params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, port, path, null, headers);

    public async Task<Reply> SendAsync(HttpMethod method, int port, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}") { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return new Reply(
                (int)response.StatusCode,
                body,
                response.Headers.TryGetValues("X-Berth-Served-By", out var servedBy) ? string.Join(", ", servedBy) : null,
                response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join(" | ", cookies) : null,
                null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Reply(0, "", null, null, exception.GetType().Name + ": " + exception.Message);
        }
    }

    /// <summary>Sends <paramref name="count"/> GETs with <paramref name="workers"/> in parallel; request i gets headers from <paramref name="headersOf"/>.</summary>
    public async Task<Reply[]> GetManyAsync(int port, int count, int workers = 4, Func<int, (string, string)[]>? headersOf = null)
    {
        var replies = new Reply[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                replies[i] = await GetAsync(port, "/", headersOf?.Invoke(i) ?? []);
            }
        }));
        return replies;
    }

    /// <summary>
    /// GETs from <paramref name="workers"/> loops until <paramref name="stop"/> is cancelled, <paramref name="maxDuration"/>
    /// passes, or <paramref name="maxRequests"/> were sent in all: always bounded.
    /// </summary>
    public async Task<IReadOnlyList<Reply>> LoadAsync(int port, int workers, TimeSpan maxDuration, int maxRequests, CancellationToken stop)
    {
        var replies = new ConcurrentQueue<Reply>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && clock.Elapsed < maxDuration && Interlocked.Increment(ref sent) <= maxRequests)
            {
                replies.Enqueue(await GetAsync(port));
            }
        })));
        return replies.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        Client.Dispose();
        _handler.Dispose();
    }
}

/// <summary>What came back for one request through the router (Status 0 = no answer at all).</summary>
internal sealed record Reply(int Status, string Body, string? ServedBy, string? SetCookie, string? Failure)
{
    public bool Ok => Status is >= 200 and < 300;

    public override string ToString() => Failure ?? $"{Status} '{Body}' served-by='{ServedBy}'";
}

internal static class ReplyAssertions
{
    /// <summary>Fails listing the first few failures when any reply is not a 2xx.</summary>
    public static void AllOk(IReadOnlyCollection<Reply> replies, string what)
    {
        var failed = replies.Where(r => !r.Ok).ToList();
        Assert.True(
            failed.Count == 0,
            $"{what}: {failed.Count} of {replies.Count} requests failed, e.g.: {string.Join("; ", failed.Take(5))}");
    }

    public static Dictionary<string, int> CountByBody(IEnumerable<Reply> replies) =>
        replies.GroupBy(r => r.Body).ToDictionary(g => g.Key, g => g.Count());

    public static string Describe(Dictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
