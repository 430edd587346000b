using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Berth.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Routing;

/// <summary>
/// A tiny Kestrel upstream on 127.0.0.1 that answers with its own name; it can be told to fail every Nth request
/// (deterministic), to add latency, or be stopped (its port then refuses connections).
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Method, long Timestamp)> _arrivals = new();
    private int _requests;
    private IReadOnlyDictionary<string, string> _lastHeaders = new Dictionary<string, string>();
    private int _inFlight;
    private int _failEvery;
    private long _latencyTicks;
    private long _lastFinished;
    private int _stopped;

    private TestUpstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    /// <summary>host:port it listens on.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Requests that reached it so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Answer 500 to every Nth request (by arrival number); 0 = never, 1 = always.</summary>
    public int FailEvery
    {
        get => Volatile.Read(ref _failEvery);
        set => Volatile.Write(ref _failEvery, value);
    }

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _latencyTicks));
        set => Volatile.Write(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Stopwatch timestamp at which the last request finished waiting and began answering.</summary>
    public long LastFinishedTimestamp => Volatile.Read(ref _lastFinished);

    public RouteDestination Destination(int release) => new(Name, release, Address);

    /// <summary>The request headers of the last request that reached it (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> LastRequestHeaders => Volatile.Read(ref _lastHeaders);

    public int CountOf(string method) => _arrivals.Count(a => a.Method == method);

    /// <summary>Requests that arrived after a Stopwatch timestamp.</summary>
    public int ArrivalsAfter(long timestamp) => _arrivals.Count(a => a.Timestamp > timestamp);

    public static async Task<TestUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new TestUpstream(name, app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.Address = $"127.0.0.1:{new Uri(bound).Port}";
        return upstream;
    }

    public static async Task<TestUpstream[]> StartManyAsync(params string[] names) =>
        await Task.WhenAll(names.Select(StartAsync));

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        _arrivals.Enqueue((context.Request.Method, Stopwatch.GetTimestamp()));
        Volatile.Write(ref _lastHeaders, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        Interlocked.Increment(ref _inFlight);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var latency = Latency;
            if (latency > TimeSpan.Zero)
            {
                // Task.Delay may wake a hair early; the metrics test relies on "at least".
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < latency)
                {
                    await Task.Delay(latency - clock.Elapsed + TimeSpan.FromMilliseconds(0.5));
                }
            }

            var failEvery = FailEvery;
            context.Response.StatusCode = failEvery > 0 && number % failEvery == 0 ? 500 : 200;
            Volatile.Write(ref _lastFinished, Stopwatch.GetTimestamp());
            await context.Response.WriteAsync(Name);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Stops listening: later connections are refused.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
