using System.ComponentModel.DataAnnotations;

namespace Berth.Engine;

/// <summary>Settings of the reconcile loop.</summary>
public sealed class EngineOptions
{
    /// <summary>Services reconciled concurrently (one service is never reconciled twice at once). Default 4.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>Every service is looked at again after this long even without a change (safety net). Default 5s.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait before retrying a pass that threw. Default 30s (backoff starts at 250ms, with jitter).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
