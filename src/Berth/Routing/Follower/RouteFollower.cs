using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Berth.Api;
using Berth.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Routing.Follower;

/// <summary>
/// The router process's link to the control plane: serves its last routes at start, follows the route stream
/// (applying each update, draining the replicas it takes out, saving the routes, then acknowledging the version),
/// and reports its metrics every second. With the control plane gone it keeps serving and reconnects with backoff.
/// </summary>
public sealed partial class RouteFollower : BackgroundService
{
    private static readonly TimeSpan StreamSilenceLimit = TimeSpan.FromSeconds(45);
    private readonly YarpTrafficRouter _router;
    private readonly RouterMetrics _metrics;
    private readonly RouteFollowerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RouteFollower> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly DateTimeOffset _startedAt;
    private long _appliedVersion;
    private HttpClient? _http;

    public RouteFollower(YarpTrafficRouter router, RouterMetrics metrics, IOptions<RouteFollowerOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<RouteFollower> logger)
    {
        _lifetime = lifetime;
        _router = router;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
    }

    /// <summary>The route version this router applied last.</summary>
    public long AppliedVersion => Interlocked.Read(ref _appliedVersion);

    /// <summary>Serves the routes saved by the previous run before anything else (the control plane may be down).</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (RouterState.Load(_options.StateDirectory) is not { } state)
        {
            return;
        }

        foreach (var route in state.Routes)
        {
            var result = await _router.ApplyAsync(route, cancellationToken);
            if (!result.Applied)
            {
                Log.RestoreFailed(_logger, route.Service, result.Error ?? "?");
            }
        }

        Interlocked.Exchange(ref _appliedVersion, state.Version);
        Log.Restored(_logger, state.Routes.Count, state.Version);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Uri? address = null;
        var reports = ReportLoopAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(200);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var current = CurrentControlPlane();
                if (current != address)
                {
                    // A new client for a new address; the previous one is let go (the report loop may hold it a moment).
                    address = current;
                    Interlocked.Exchange(ref _http, CreateClient(current))?.Dispose();
                }

                try
                {
                    await FollowAsync(_http!, address, stoppingToken);
                    delay = TimeSpan.FromMilliseconds(200);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException or OperationCanceledException or InvalidOperationException)
                {
                    Log.StreamLost(_logger, address, exception.Message);
                }

                await Task.Delay(delay, _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }

            await reports;
        }
        finally
        {
            Interlocked.Exchange(ref _http, null)?.Dispose();
        }
    }

    /// <summary>The address its server last wrote into the state folder (it may have moved since), else the one given at start.</summary>
    private Uri CurrentControlPlane() => RouterState.ReadControlPlane(_options.StateDirectory) ?? _options.ControlPlane;

    private async Task FollowAsync(HttpClient http, Uri address, CancellationToken stoppingToken)
    {
        using var response = await http.GetAsync(ApiRoutes.RouterRoutes(_options.RouterId).TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, stoppingToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the control plane answered {(int)response.StatusCode} {response.ReasonPhrase} to the route stream");
        }

        Log.Following(_logger, address);
        await using var stream = await response.Content.ReadAsStreamAsync(stoppingToken);
        using var reader = new StreamReader(stream);
        while (true)
        {
            // The control plane writes a blank line every few seconds: silence this long means the link is dead.
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            silence.CancelAfter(StreamSilenceLimit);
            var line = await reader.ReadLineAsync(silence.Token);
            if (line is null)
            {
                throw new IOException("the control plane closed the route stream");
            }

            if (line.Length == 0)
            {
                continue;
            }

            var update = JsonSerializer.Deserialize<RouteUpdate>(line, ApiJson.Options)
                ?? throw new JsonException("a null route update");
            var errors = await ApplyAsync(update, stoppingToken);
            using var ack = await http.PostAsJsonAsync(ApiRoutes.RouterAck(_options.RouterId).TrimStart('/'), new RouterAck(update.Version, errors), ApiJson.Options, stoppingToken);
            ack.EnsureSuccessStatusCode();
        }
    }

    private async Task<Dictionary<string, string>> ApplyAsync(RouteUpdate update, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (update.Full && update.Authoritative)
        {
            foreach (var service in _router.Services().Where(s => !update.Upserts.Any(u => u.Service == s)).ToList())
            {
                await _router.RemoveAsync(service, cancellationToken);
            }
        }

        // Services apply side by side: one service's drain does not hold up another's weight change.
        await Task.WhenAll(update.Upserts.Select(async route =>
        {
            var result = await _router.ApplyAndDrainAsync(route, cancellationToken);
            if (!result.Applied)
            {
                lock (errors)
                {
                    errors[route.Service] = result.Error ?? "not applied";
                }
            }
        }));
        foreach (var service in update.Removals)
        {
            await _router.RemoveAsync(service, cancellationToken);
        }

        Interlocked.Exchange(ref _appliedVersion, update.Version);
        new RouterState(update.Version, _router.All()).Save(_options.StateDirectory);
        return errors;
    }

    private async Task ReportLoopAsync(CancellationToken stoppingToken)
    {
        var lastPrometheus = DateTimeOffset.MinValue;
        var reportedUpTo = 0L;
        using var timer = new PeriodicTimer(_options.ReportInterval, _time);
        while (await timer.NextTickOrStopAsync(stoppingToken))
        {
            if (!Directory.Exists(_options.StateDirectory))
            {
                // Its folder was deleted (the server's data removed): nobody can adopt or stop this router any more.
                Log.StateGone(_logger, _options.StateDirectory);
                _lifetime.StopApplication();
                return;
            }

            if (Volatile.Read(ref _http) is not { } http)
            {
                continue;
            }

            try
            {
                var now = _time.GetUtcNow();
                string? prometheus = null;
                if (now - lastPrometheus >= _options.PrometheusInterval)
                {
                    prometheus = await _metrics.PrometheusTextAsync(stoppingToken);
                    lastPrometheus = now;
                }

                // The last few seconds again: a second still filling when it was last sent is sent whole now.
                var second = now.ToUnixTimeSeconds();
                var report = new RouterReport(
                    _options.Node,
                    Environment.ProcessId,
                    _startedAt,
                    typeof(RouteFollower).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                    AppliedVersion,
                    _router.Services(),
                    new RouterMetricsReport(_metrics.Export(Math.Min(reportedUpTo, second - 3)), prometheus));
                using var response = await http.PostAsJsonAsync(ApiRoutes.RouterReport(_options.RouterId).TrimStart('/'), report, ApiJson.Options, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    reportedUpTo = second - 1;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException or ObjectDisposedException && !stoppingToken.IsCancellationRequested)
            {
                // The control plane is away: the windows keep filling, the next report after it is back sends them.
            }
        }
    }

    private HttpClient CreateClient(Uri address)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (_options.TlsCaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                // The server hands its own router its certificate: that exact certificate is trusted (pinned), name aside.
                if (authorities.Any(a => a.RawDataMemory.Span.SequenceEqual(certificate.GetRawCertData())))
                {
                    return true;
                }

                if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            };
        }

        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_options.TokenFile).Trim());
        return http;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Serving {Count} saved routes (version {Version}) before the control plane answers")]
        public static partial void Restored(ILogger logger, int count, long version);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Could not serve the saved route of {Service}: {Error}")]
        public static partial void RestoreFailed(ILogger logger, string service, string error);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Following the route stream of {ControlPlane}")]
        public static partial void Following(ILogger logger, Uri controlPlane);

        [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Route stream from {ControlPlane} lost ({Reason}); serving the last routes, reconnecting")]
        public static partial void StreamLost(ILogger logger, Uri controlPlane, string reason);

        [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "State folder {Directory} is gone: the router stops")]
        public static partial void StateGone(ILogger logger, string directory);
    }
}
