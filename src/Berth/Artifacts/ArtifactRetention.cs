using Berth.Hosting;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Artifacts;

/// <summary>
/// Keeps the artifact store to what the releases need: every artifact a kept release names (service releases and
/// each environment's stack releases, so any of them can be rolled back to) stays; the others go once they are older
/// than <see cref="ArtifactRetentionOptions.Grace"/> — those of removed services, and uploads no deploy named.
/// </summary>
public sealed partial class ArtifactRetention : BackgroundService
{
    private readonly BerthStore _store;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly ArtifactRetentionOptions _options;
    private readonly ILogger<ArtifactRetention> _logger;

    public ArtifactRetention(BerthStore store, ArtifactStore artifacts, TimeProvider time, IOptions<ArtifactRetentionOptions> options, ILogger<ArtifactRetention> logger)
    {
        _store = store;
        _artifacts = artifacts;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>One sweep: removes what no kept release names and is older than the grace; returns the digests removed.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var inUse = await _store.ReadAsync(tx => tx.GetDigestsInUseAsync(cancellationToken), cancellationToken);
        var removed = _artifacts.RemoveAllBut(inUse, _time.GetUtcNow() - _options.Grace);
        foreach (var digest in removed)
        {
            Log.Removed(_logger, digest);
        }

        return removed;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(_options.Interval, _time, SweepAsync, exception => Log.SweepFailed(_logger, exception), stoppingToken);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Artifact {Digest} removed: no kept release names it")]
        public static partial void Removed(ILogger logger, string digest);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Artifact sweep failed; the next one tries again")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
