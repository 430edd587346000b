using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Runtime.CompilerServices;
using Berth.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtimes.Process;

/// <summary>
/// Runs replicas as supervised OS processes on this machine: one session/process group per replica, its own port,
/// output appended straight to a log file, so replicas outlive the server and can be adopted by the next run.
/// </summary>
public sealed partial class ProcessRuntimeDriver : IRuntimeDriver, IAsyncDisposable
{
    private const string SetsidPath = "/usr/bin/setsid";

    // $0 is the log file; the command and its arguments follow. exec keeps the pid, so the pid Berth records is the
    // replica itself, leader of the session setsid created.
    private const string LaunchScript = "exec \"$@\" </dev/null >>\"$0\" 2>&1";

    /// <summary>Exit code reported when the replica could not be started at all (like docker run's 125).</summary>
    private const int SpawnFailedExitCode = 125;

    private readonly ProcessRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessRuntimeDriver> _logger;
    private readonly HostCommandPolicy? _hostCommands;
    private readonly ReplicaTable<ProcessReplica> _replicas = new(r => r.Current.Service);
    private readonly PortAllocator _ports;
    private readonly ReplicaHealthProber _prober;
    private readonly ReplicaSecretFiles _secretFiles;
    private readonly Artifacts.ArtifactStore _artifacts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _loops = new();
    private readonly Task _monitor;
    private int _disposed;

    public ProcessRuntimeDriver(
        IOptions<ProcessRuntimeOptions> options, TimeProvider time, ILogger<ProcessRuntimeDriver> logger, HostCommandPolicy? hostCommands = null,
        Artifacts.ArtifactStore? artifacts = null)
    {
        _hostCommands = hostCommands;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (string.IsNullOrWhiteSpace(_options.RuntimeDirectory))
        {
            throw new ArgumentException("ProcessRuntimeOptions.RuntimeDirectory is required", nameof(options));
        }

        if (!IPAddress.TryParse(_options.BindAddress, out var address))
        {
            throw new ArgumentException($"ProcessRuntimeOptions.BindAddress '{_options.BindAddress}' is not an IP address", nameof(options));
        }

        if (_options.LogMaxBytes <= 0 || _options.MonitorInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("ProcessRuntimeOptions.LogMaxBytes and MonitorInterval must be positive", nameof(options));
        }

        _ports = new PortAllocator(address);
        _prober = new ReplicaHealthProber(_options.BindAddress, _time);
        _secretFiles = new ReplicaSecretFiles(_options.RuntimeDirectory);
        _artifacts = artifacts ?? new Artifacts.ArtifactStore(_options.RuntimeDirectory);
        _monitor = Task.Run(() => MonitorAsync(_stopping.Token));
    }

    public string Name => "process";

    public event Action<ReplicaObservation>? ReplicaChanged;

    /// <summary>Where a replica's combined stdout/stderr goes: <c>{RuntimeDirectory}/logs/{replicaId}.log</c>.</summary>
    public string LogPathOf(string replicaId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replicaId);
        if (replicaId.IndexOfAny(['/', '\\', '\0']) >= 0 || replicaId is "." or "..")
        {
            throw new ArgumentException($"replica id '{replicaId}' cannot be used as a file name", nameof(replicaId));
        }

        return Path.Combine(ReplicaLogFile.FolderOf(_options.RuntimeDirectory), replicaId + ".log");
    }

    public async Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var logPath = LogPathOf(launch.ReplicaId);
        if (_replicas.TryGetValue(launch.ReplicaId, out var existing) && !existing.HasExited)
        {
            throw new InvalidOperationException($"replica {launch.ReplicaId} is already running");
        }

        var initial = new ReplicaObservation
        {
            ReplicaId = launch.ReplicaId,
            Service = launch.Service,
            Release = launch.Release,
            Slot = launch.Slot,
            State = ReplicaRunState.Starting,
            StartedAt = _time.GetUtcNow(),
            LogPath = logPath,
        };

        if (launch.Command.Count == 0)
        {
            return SpawnFailed(launch, initial, "command is empty", 127);
        }

        if (launch.Spec?.Berth.Process?.ArtifactDigest is { } artifact)
        {
            // The release's artifact: its files, unpacked once in the data folder, are where replicas run.
            try
            {
                launch = launch with { WorkingDir = await _artifacts.FilesAsync(artifact, cancellationToken).ConfigureAwait(false) };
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException)
            {
                return SpawnFailed(launch, initial, e.Message, SpawnFailedExitCode);
            }
        }

        if (launch.WorkingDir is { } workingDir && !Directory.Exists(workingDir))
        {
            return SpawnFailed(launch, initial, $"working_dir {workingDir} does not exist", SpawnFailedExitCode);
        }

        if (_secretFiles.Write(launch) is { } secretProblem)
        {
            return SpawnFailed(launch, initial, secretProblem, SpawnFailedExitCode);
        }

        if (ServiceDataFolders.TryEnsure(_options.RuntimeDirectory, launch.Service, out var dataDirectory) is { } dataProblem)
        {
            return SpawnFailed(launch, initial, dataProblem, SpawnFailedExitCode);
        }

        var port = _ports.Reserve();
        try
        {
            var variables = ReplicaVariables.For(launch, port, _secretFiles.DirectoryOf(launch), dataDirectory);
            var environment = variables.Environment(launch.Environment);
            var arguments = launch.Command.Select(variables.Substitute).ToList();
            var path = environment.TryGetValue("PATH", out var p) ? p : System.Environment.GetEnvironmentVariable("PATH");
            var executable = ExecutableResolver.Resolve(arguments[0], path, launch.WorkingDir, out var error);
            if (executable is null)
            {
                _ports.Release(port);
                return SpawnFailed(launch, initial, error!, error!.StartsWith("permission", StringComparison.Ordinal) ? 126 : 127);
            }

            if (RefusedByHostPolicy(launch, executable) is { } refused)
            {
                _ports.Release(port);
                return SpawnFailed(launch, initial, refused, 126);
            }

            PrepareLogFile(logPath);
            var start = new System.Diagnostics.ProcessStartInfo(SetsidPath)
            {
                UseShellExecute = false,
                WorkingDirectory = launch.WorkingDir ?? string.Empty,
            };
            foreach (var argument in (string[])["/bin/sh", "-c", LaunchScript, logPath, executable, .. arguments.Skip(1)])
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var inherited in start.Environment.Keys.Where(key => !_options.Inherits(key)).ToList())
            {
                start.Environment.Remove(inherited);
            }

            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            System.Diagnostics.Process process;
            try
            {
                process = System.Diagnostics.Process.Start(start)
                    ?? throw new InvalidOperationException("Process.Start returned no process");
            }
            catch (Win32Exception ex)
            {
                _ports.Release(port);
                return SpawnFailed(launch, initial, $"could not start {SetsidPath}: {ex.Message}", SpawnFailedExitCode);
            }

            // Not cancellable: the process runs now and must be tracked; the wait is bounded.
            var stat = await WaitForSessionAsync(process.Id).ConfigureAwait(false);
            var replica = new ProcessReplica(
                initial with
                {
                    State = launch.Health.IsNone ? ReplicaRunState.Running : ReplicaRunState.Starting,
                    Health = launch.Health.IsNone ? ReplicaHealth.None : ReplicaHealth.Starting,
                    Pid = process.Id,
                    Port = port,
                    Endpoint = $"{_options.BindAddress}:{port}",
                    ProcessStartTicks = stat?.StartTicks,
                },
                launch, variables, environment, isChild: true, _stopping.Token)
            {
                Process = process,
                ProcessGroupId = stat?.ProcessGroupId ?? process.Id,
                OwnsPort = true,
            };
            Track(replica);
            ProcessRuntimeLog.ReplicaStarted(_logger, launch.ReplicaId, launch.Service, launch.Release, process.Id, port);
            RunLoop(WatchChildAsync(replica, process));
            StartHealthLoop(replica, replica.Current.StartedAt);
            return replica.Current;
        }
        catch
        {
            _ports.Release(port);
            _secretFiles.Remove(launch.ReplicaId);
            throw;
        }
    }

    public IReadOnlyList<ReplicaObservation> Observe() => _replicas.Values.Select(r => r.Current).ToArray();

    public IReadOnlyList<ReplicaObservation> Observe(string service) => _replicas.Of(service).Select(r => r.Current).ToArray();

    public void Forget(string replicaId)
    {
        if (_replicas.TryGetValue(replicaId, out var replica) && replica.HasExited
            && _replicas.TryRemove(replicaId, replica))
        {
            replica.Dispose();
        }
    }

    public async IAsyncEnumerable<LogLine> ReadLogsAsync(
        string replicaId, int tail, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = _replicas.TryGetValue(replicaId, out var replica) && replica.Current.LogPath is { } known
            ? known
            : LogPathOf(replicaId);
        await foreach (var line in ReplicaLogFile.ReadAsync(path, tail, follow, _time, cancellationToken).ConfigureAwait(false))
        {
            yield return new LogLine(replicaId, line);
        }
    }

    public Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeObservation>>(
            [new NodeObservation("local", System.Environment.MachineName, "manager", "active", "ready", _options.BindAddress)]);

    public Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken) =>
        throw new RuntimeRefusedException(
            RuntimeRefusal.NotPossible,
            $"cannot set node {node} to {availability}: the process runtime has a single local node; drain needs --runtime swarm");

    /// <summary>Stops watching (monitor, health, exit waits) without touching the replicas: the next server run adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll([_monitor, .. _loops.Keys]).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Loops end by cancellation; nothing else to report.
        }

        foreach (var replica in _replicas.Values)
        {
            replica.Dispose();
        }

        _prober.Dispose();
        _stopping.Dispose();
    }

    private ReplicaObservation SpawnFailed(ReplicaLaunch launch, ReplicaObservation initial, string reason, int exitCode)
    {
        var failed = initial with
        {
            State = ReplicaRunState.Exited,
            ExitedAt = _time.GetUtcNow(),
            ExitCode = exitCode,
            Message = reason,
        };
        Track(new ProcessReplica(failed, launch, ReplicaVariables.For(launch, null),
            new Dictionary<string, string>(), isChild: false, _stopping.Token));
        _secretFiles.Remove(launch.ReplicaId);
        ProcessRuntimeLog.ReplicaSpawnFailed(_logger, launch.ReplicaId, launch.Service, reason);
        return failed;
    }

    private void Track(ProcessReplica replica)
    {
        _replicas.Set(replica.Current.ReplicaId, replica)?.Dispose();
    }

    private static void PrepareLogFile(string logPath)
    {
        var directory = Path.GetDirectoryName(logPath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        // Logs can hold anything a replica prints, secrets included: owner-only.
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var created = new FileStream(logPath, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    /// <summary>Why the host policy (--exec-root) refuses this start: its executable, working folder or healthcheck command.</summary>
    private string? RefusedByHostPolicy(ReplicaLaunch launch, string executable)
    {
        if (_hostCommands is not { IsRestricted: true } policy)
        {
            return null;
        }

        var workingDir = launch.WorkingDir ?? System.Environment.CurrentDirectory;
        return policy.Check("executable", executable)
            ?? policy.Check("working_dir", workingDir)
            ?? (launch.Health.Command is { Count: > 0 } probe ? policy.CheckExecutable(probe[0], workingDir) : null);
    }
}
