using System.Globalization;

namespace Berth.Runtimes.Process;

/// <summary>Watching replicas: exits, stops and kills, the monitor loop (adopted liveness, log size) and health loops.</summary>
public sealed partial class ProcessRuntimeDriver
{
    private const string UnobservedExitMessage = "exited while the server was down or not observable";

    // Polling the OS (a process's /proc entry) is not domain timing: it uses the real clock so it progresses under a
    // fake TimeProvider too. Grace periods, health intervals and the monitor interval use the injected TimeProvider.
    private static readonly TimeSpan OsPollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SessionWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public async Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (!_replicas.TryGetValue(replicaId, out var replica) || replica.HasExited || replica.Current.Pid is null)
        {
            return;
        }

        var current = replica.Current;
        ProcessRuntimeLog.Stopping(_logger, replicaId, current.Service, current.Pid, gracePeriod);
        Signal(replica, PosixSignal.SigTerm);
        if (await WaitForExitAsync(replica, gracePeriod, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        ProcessRuntimeLog.KillingAfterGrace(_logger, replicaId, current.Service, current.Pid);
        Signal(replica, PosixSignal.SigKill);
        if (!await WaitForExitAsync(replica, KillWait, cancellationToken).ConfigureAwait(false))
        {
            ProcessRuntimeLog.NotExitedAfterKill(_logger, replicaId, current.Pid);
        }
    }

    public async Task KillAsync(string replicaId, CancellationToken cancellationToken)
    {
        if (!_replicas.TryGetValue(replicaId, out var replica) || replica.HasExited || replica.Current.Pid is null)
        {
            return;
        }

        ProcessRuntimeLog.Killing(_logger, replicaId, replica.Current.Service, replica.Current.Pid);
        Signal(replica, PosixSignal.SigKill);
        if (!await WaitForExitAsync(replica, KillWait, cancellationToken).ConfigureAwait(false))
        {
            ProcessRuntimeLog.NotExitedAfterKill(_logger, replicaId, replica.Current.Pid);
        }
    }

    /// <summary>setsid runs just after the fork: wait until the child leads its own session, so signals reach its group.</summary>
    private static async Task<LinuxProcessStat?> WaitForSessionAsync(int pid)
    {
        var deadline = DateTime.UtcNow + SessionWait;
        while (true)
        {
            var stat = LinuxProcessStat.TryRead(pid);
            if (stat is null || stat.IsZombie || stat.SessionId == pid || DateTime.UtcNow > deadline)
            {
                return stat;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2)).ConfigureAwait(false);
        }
    }

    private async Task WatchChildAsync(ProcessReplica replica, System.Diagnostics.Process process)
    {
        try
        {
            await process.WaitForExitAsync(replica.Lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // driver disposed: the process lives on, to be adopted
        }

        // .NET reports a signal death as 128+signal already (SIGKILL = 137), like a shell.
        var code = process.ExitCode;
        var message = code is > 128 and < 160
            ? $"exited with code {code.ToString(CultureInfo.InvariantCulture)} (signal {(code - 128).ToString(CultureInfo.InvariantCulture)})"
            : $"exited with code {code.ToString(CultureInfo.InvariantCulture)}";
        MarkExited(replica, code, message);
    }

    private void MarkExited(ProcessReplica replica, int? exitCode, string message)
    {
        ReplicaObservation updated;
        lock (replica.Gate)
        {
            if (replica.HasExited)
            {
                return;
            }

            updated = replica.Current with
            {
                State = ReplicaRunState.Exited,
                ExitedAt = _time.GetUtcNow(),
                ExitCode = exitCode,
                Message = message,
            };
            replica.Current = updated;
        }

        // The replica's process group dies with its leader, as a container's processes die with its main process.
        if (updated.Pid is { } pid && replica.ProcessGroupId == pid)
        {
            PosixSignal.SendToGroup(pid, PosixSignal.SigKill);
        }

        if (replica.OwnsPort && updated.Port is { } port)
        {
            _ports.Release(port);
        }

        // A restart is a new replica (new id, new directory): this one's secrets are no longer needed.
        _secretFiles.Remove(updated.ReplicaId);

        try
        {
            replica.Lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Forgotten or driver disposed meanwhile: nothing left to stop.
        }

        ProcessRuntimeLog.ReplicaExited(_logger, updated.ReplicaId, updated.Service, updated.Pid, exitCode);
        Raise(updated);

        // Last: StopAsync/KillAsync return once this completes, so by then ReplicaChanged has been raised.
        replica.Exited.TrySetResult();
    }

    private void MarkAdoptedExited(ProcessReplica replica) =>
        MarkExited(
            replica,
            replica.LastSignal == PosixSignal.SigKill ? 128 + PosixSignal.SigKill : null,
            replica.LastSignal == 0
                ? UnobservedExitMessage
                : $"exited after Berth sent signal {replica.LastSignal.ToString(CultureInfo.InvariantCulture)}; the exit status of an adopted process is not observable");

    /// <summary>True while the pid is still the very process the replica started as (same start time, not a zombie).</summary>
    private static bool IsSameProcessAlive(ProcessReplica replica) =>
        replica.Current.Pid is { } pid
        && LinuxProcessStat.TryRead(pid) is { IsZombie: false } stat
        && stat.StartTicks == replica.Current.ProcessStartTicks;

    private void Signal(ProcessReplica replica, int signal)
    {
        if (replica.Current.Pid is not { } pid || replica.HasExited)
        {
            return;
        }

        if (replica.IsChild ? replica.Process?.HasExited == true : !IsSameProcessAlive(replica))
        {
            // Never signal a pid that may already belong to someone else.
            return;
        }

        replica.LastSignal = signal;
        PosixSignal.Send(pid, replica.ProcessGroupId, signal);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the replica's exit; adopted processes are polled meanwhile.</summary>
    private async Task<bool> WaitForExitAsync(ProcessReplica replica, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var poller = replica.IsChild ? Task.CompletedTask : PollAdoptedAsync(replica, polling.Token);
        try
        {
            await replica.Exited.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return replica.HasExited;
        }
        finally
        {
            await polling.CancelAsync().ConfigureAwait(false);
            await poller.ConfigureAwait(false);
        }
    }

    private async Task PollAdoptedAsync(ProcessReplica replica, CancellationToken cancellationToken)
    {
        while (!replica.HasExited && !cancellationToken.IsCancellationRequested)
        {
            if (!IsSameProcessAlive(replica))
            {
                MarkAdoptedExited(replica);
                return;
            }

            try
            {
                await Task.Delay(OsPollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Every MonitorInterval: notices adopted processes that died, and caps log file sizes.</summary>
    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(_options.MonitorInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var replica in _replicas.Values)
            {
                if (replica.HasExited)
                {
                    continue;
                }

                try
                {
                    if (!replica.IsChild && !IsSameProcessAlive(replica))
                    {
                        MarkAdoptedExited(replica);
                        continue;
                    }

                    if (replica.Current.LogPath is { } logPath
                        && ReplicaLogFile.RotateIfLarger(logPath, _options.LogMaxBytes) is { } size)
                    {
                        ProcessRuntimeLog.LogRotated(_logger, replica.Current.ReplicaId, size);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    ProcessRuntimeLog.LoopFailed(_logger, ex, "monitor");
                }
            }
        }
    }

    private void StartHealthLoop(ProcessReplica replica, DateTimeOffset origin, bool startHealthy = false)
    {
        if (!replica.Launch.Health.IsNone && !replica.HasExited)
        {
            RunLoop(RunHealthAsync(replica, replica.Launch.Health, origin, startHealthy, replica.Lifetime.Token));
        }
    }

    private async Task RunHealthAsync(ProcessReplica replica, HealthProbe probe, DateTimeOffset origin, bool startHealthy, CancellationToken cancellationToken)
    {
        var tracker = new HealthTracker(probe, origin, startHealthy);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(tracker.NextDelay(_time.GetUtcNow()), _time, cancellationToken).ConfigureAwait(false);
                var result = await _prober.ProbeAsync(replica, probe, cancellationToken).ConfigureAwait(false);
                tracker.Record(result.Success, _time.GetUtcNow());
                ApplyHealth(replica, tracker, result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Replica exited or driver disposed.
        }
        catch (Exception ex)
        {
            ProcessRuntimeLog.LoopFailed(_logger, ex, "health");
        }
    }

    private void ApplyHealth(ProcessReplica replica, HealthTracker tracker, ProbeResult result)
    {
        ReplicaObservation? changed = null;
        lock (replica.Gate)
        {
            if (replica.HasExited)
            {
                return;
            }

            var current = replica.Current;
            var next = current with
            {
                Health = tracker.Health,
                State = tracker.EverSucceeded ? ReplicaRunState.Running : current.State,
                Message = result.Success ? null : result.Output,
            };
            replica.Current = next;
            if (next.Health != current.Health || next.State != current.State)
            {
                changed = next;
            }
        }

        if (changed is not null)
        {
            ProcessRuntimeLog.HealthChanged(_logger, changed.ReplicaId, changed.Service, changed.Health,
                changed.Message is { } why ? ": " + why : string.Empty);
            Raise(changed);
        }
    }

    private void Raise(ReplicaObservation observation)
    {
        foreach (var handler in ReplicaChanged?.GetInvocationList().Cast<Action<ReplicaObservation>>() ?? [])
        {
            try
            {
                handler(observation);
            }
            catch (Exception ex)
            {
                ProcessRuntimeLog.HandlerFailed(_logger, ex, observation.ReplicaId);
            }
        }
    }

    private void RunLoop(Task loop)
    {
        _loops.TryAdd(loop, 0);
        loop.ContinueWith(done => _loops.TryRemove(done, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
