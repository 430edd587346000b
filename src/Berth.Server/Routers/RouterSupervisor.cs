using System.Globalization;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Hosting;
using Berth.Routing;
using Berth.Routing.Fleet;
using Berth.Routing.Follower;
using Berth.Runtimes.Process;
using Berth.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Routers;

/// <summary>
/// Runs the local router process next to the server (process runtime): started detached in its own session, so it
/// keeps serving while the server stops, restarts or crashes; adopted by pid and start time at the next start;
/// started again if it dies (with backoff); stopped only by `berth router stop`. Also ages routers into "stale".
/// </summary>
public sealed partial class RouterSupervisor : BackgroundService
{
    private const string PidFile = "router.pid";
    private readonly RouterFleet _fleet;
    private readonly TokenService _tokens;
    private readonly EventLog _events;
    private readonly RouterSupervisorOptions _options;
    private readonly string _directory;
    private readonly ILogger<RouterSupervisor> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DetachedProcess? _process;
    private bool _stopped;
    private TimeSpan _restartDelay;
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;
    private Uri? _controlPlane;
    private string? _tlsCa;

    public RouterSupervisor(RouterFleet fleet, TokenService tokens, EventLog events, IOptions<RouterSupervisorOptions> options, IOptions<Berth.Store.StoreOptions> store, ILogger<RouterSupervisor> logger)
    {
        _fleet = fleet;
        _tokens = tokens;
        _events = events;
        _options = options.Value;
        _directory = Path.Combine(Path.GetFullPath(store.Value.DataDirectory), "routers", _options.RouterId);
        _logger = logger;
        _restartDelay = _options.RestartDelay;
    }

    /// <summary>The router's folder: its token, saved routes, log and pid file.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Where the router reaches this server (known once it listens), and the certificate it pins with TLS. Written into
    /// the router's folder too: a router adopted from an earlier run follows this server to its new address.
    /// </summary>
    public void ControlPlaneIs(Uri address, string? certificateFile)
    {
        RouterState.WriteControlPlane(_directory, address);
        _controlPlane = address;
        _tlsCa = certificateFile;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            _fleet.CheckStaleness();
            if (_options.RunLocalRouter && _controlPlane is not null)
            {
                try
                {
                    await EnsureRunningAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    Log.StartFailed(_logger, _options.RouterId, exception.Message);
                }
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    /// <summary>Stops the router (SIGTERM, it drains; SIGKILL after 15 s) until the server's next start.</summary>
    public async Task StopAsync(string routerId, CancellationToken cancellationToken)
    {
        if (routerId != _options.RouterId)
        {
            throw Berth.Api.ProblemException.NotFound($"no router {routerId} started by this server (its router is {_options.RouterId})");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _stopped = true;
            var process = _process ?? ReadPidFile();
            if (process is not null)
            {
                await process.StopAsync(TimeSpan.FromSeconds(15), cancellationToken);
            }

            File.Delete(Path.Combine(_directory, PidFile));
            _process = null;
            _fleet.Forget(routerId);
        }
        finally
        {
            _gate.Release();
        }

        await _events.AppendAsync("router.stopped", null, null, null, $"router {routerId} stopped (berth router stop); it starts again with the server", cancellationToken);
    }

    /// <summary>
    /// Replaces the router with a new process of the current binary without refusing a connection: the new router
    /// takes the listening sockets over from the old one (`router run --take-over`), which then drains and exits.
    /// Returns the old and new pids; the old router keeps serving if the new one fails.
    /// </summary>
    public async Task<(int OldPid, int NewPid)> RestartAsync(string routerId, CancellationToken cancellationToken)
    {
        if (routerId != _options.RouterId)
        {
            throw Berth.Api.ProblemException.NotFound($"no router {routerId} started by this server (its router is {_options.RouterId})");
        }

        if (_controlPlane is null)
        {
            throw Berth.Api.ProblemException.Conflict("the server is starting: try again in a moment");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var old = _process ?? ReadPidFile();
            if (old is not { IsAlive: true })
            {
                throw Berth.Api.ProblemException.Conflict($"router {routerId} is not running (the server starts it within a second unless it was stopped with `berth router stop`)");
            }

            var tokenFile = await EnsureTokenAsync(cancellationToken);
            var fresh = await DetachedProcess.StartAsync([.. RouterCommand(tokenFile), "--take-over"], Path.Combine(_directory, "router.log"), null, cancellationToken);

            // Handed over when the old router has exited (after its drain) while the new one runs.
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
            while (old.IsAlive && fresh.IsAlive && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            if (!fresh.IsAlive)
            {
                throw Berth.Api.ProblemException.Conflict($"the new router exited before taking over; router {routerId} (pid {old.Pid}) keeps serving; see {Path.Combine(_directory, "router.log")}");
            }

            if (old.IsAlive)
            {
                await fresh.StopAsync(TimeSpan.FromSeconds(15), cancellationToken);
                throw Berth.Api.ProblemException.Conflict($"router {routerId} (pid {old.Pid}) did not hand over within 60 s and keeps serving; the new one was stopped");
            }

            _process = fresh;
            await File.WriteAllTextAsync(
                Path.Combine(_directory, PidFile),
                string.Create(CultureInfo.InvariantCulture, $"{fresh.Pid} {fresh.StartTicks}\n"),
                cancellationToken);
            Log.Replaced(_logger, routerId, old.Pid, fresh.Pid);
            await _events.AppendAsync("router.replaced", null, null, null, $"router {routerId} replaced: pid {old.Pid} handed its listening sockets to pid {fresh.Pid}", cancellationToken);
            return (old.Pid, fresh.Pid);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            _process ??= ReadPidFile();
            if (_process is { IsAlive: true })
            {
                return;
            }

            var now = DateTimeOffset.UtcNow;
            if (now < _nextStart)
            {
                return;
            }

            var restarted = _process is not null;
            var tokenFile = await EnsureTokenAsync(cancellationToken);
            var command = RouterCommand(tokenFile);
            _process = await DetachedProcess.StartAsync(command, Path.Combine(_directory, "router.log"), RouterProcessEnvironment.For(Environment.GetEnvironmentVariable), cancellationToken);
            await File.WriteAllTextAsync(
                Path.Combine(_directory, PidFile),
                string.Create(CultureInfo.InvariantCulture, $"{_process.Pid} {_process.StartTicks}\n"),
                cancellationToken);
            _nextStart = now + _restartDelay;
            _restartDelay = restarted ? TimeSpan.FromTicks(Math.Min(_restartDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)) : _options.RestartDelay;
            Log.Started(_logger, _options.RouterId, _process.Pid);
            await _events.AppendAsync(
                restarted ? "router.restarted" : "router.started",
                null,
                null,
                null,
                $"router {_options.RouterId} {(restarted ? "died and was started again" : "started")} (pid {_process.Pid})",
                cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The router's own token (role router) in its folder, 0600: kept while valid, else made anew.</summary>
    private Task<string> EnsureTokenAsync(CancellationToken cancellationToken) =>
        RouterToken.EnsureAsync(_tokens, _directory, "router-" + _options.RouterId, cancellationToken);

    /// <summary>This same program, as the router: `dotnet Berth.Server.dll router …` or the apphost's `berth-server router …`.</summary>
    private List<string> RouterCommand(string tokenFile)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var command = new List<string> { self };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            command.Add(Environment.GetCommandLineArgs()[0]);
        }

        command.AddRange(["router", "run", "--id", _options.RouterId, "--server", _controlPlane!.ToString(), "--token-file", tokenFile, "--state", _directory]);
        if (_tlsCa is { } ca)
        {
            command.AddRange(["--tls-ca", ca]);
        }

        return command;
    }

    private DetachedProcess? ReadPidFile()
    {
        var path = Path.Combine(_directory, PidFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
               && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? new DetachedProcess(pid, ticks)
            : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Router {Router} started (pid {Pid})")]
        public static partial void Started(ILogger logger, string router, int pid);

        [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Router {Router} could not be started: {Reason}")]
        public static partial void StartFailed(ILogger logger, string router, string reason);

        [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Router {Router} replaced: pid {OldPid} handed over to pid {NewPid}")]
        public static partial void Replaced(ILogger logger, string router, int oldPid, int newPid);
    }
}
