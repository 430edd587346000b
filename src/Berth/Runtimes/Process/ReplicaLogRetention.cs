using Berth.Hosting;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtimes.Process;

/// <summary>
/// Keeps the replica log folder to the replicas the store knows: live ones and the exited ones kept as history (five
/// per slot, as Swarm's task history). The log of a replica pruned from that history, or of a removed service, goes
/// once it has been quiet for <see cref="ReplicaLogRetentionOptions.Grace"/> — as `docker rm` takes a container's
/// log with it. Without it every deploy would leave its replicas' logs in the data folder for good.
/// </summary>
public sealed partial class ReplicaLogRetention : BackgroundService
{
    private readonly BerthStore _store;
    private readonly ProcessRuntimeDriver _driver;
    private readonly TimeProvider _time;
    private readonly ReplicaLogRetentionOptions _options;
    private readonly string _folder;
    private readonly ILogger<ReplicaLogRetention> _logger;

    public ReplicaLogRetention(
        BerthStore store,
        ProcessRuntimeDriver driver,
        TimeProvider time,
        IOptions<ReplicaLogRetentionOptions> options,
        IOptions<ProcessRuntimeOptions> runtime,
        ILogger<ReplicaLogRetention> logger)
    {
        _store = store;
        _driver = driver;
        _time = time;
        _options = options.Value;
        _folder = ReplicaLogFile.FolderOf(runtime.Value.RuntimeDirectory);
        _logger = logger;
    }

    /// <summary>One sweep: deletes the logs (and rotated logs) of replicas the store no longer has; returns their replica ids.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_folder))
        {
            return [];
        }

        var known = (await _store.ReadAsync(tx => tx.GetReplicasAsync(null, cancellationToken), cancellationToken))
            .Select(r => r.Id)
            .Concat(_driver.Observe().Select(o => o.ReplicaId))
            .ToHashSet(StringComparer.Ordinal);
        var quietSince = _time.GetUtcNow() - _options.Grace;
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            if (ReplicaOf(file) is not { } replica || known.Contains(replica)
                || File.GetLastWriteTimeUtc(file) > quietSince.UtcDateTime)
            {
                continue;
            }

            try
            {
                File.Delete(file);
                if (!removed.Contains(replica))
                {
                    removed.Add(replica);
                    Log.Removed(_logger, replica);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.RemoveFailed(_logger, file, exception);
            }
        }

        return removed;
    }

    /// <summary>The replica id of a log file's name (ID.log or its rotated ID.log.1), or null for anything else.</summary>
    private static string? ReplicaOf(string file)
    {
        var name = Path.GetFileName(file);
        foreach (var suffix in (string[])[".log", ".log" + ReplicaLogFile.RotatedSuffix])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(_options.Interval, _time, SweepAsync, exception => Log.SweepFailed(_logger, exception), stoppingToken);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Log of replica {Replica} removed: the store no longer keeps that replica")]
        public static partial void Removed(ILogger logger, string replica);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove replica log {File}")]
        public static partial void RemoveFailed(ILogger logger, string file, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Replica log sweep failed; the next one tries again")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
