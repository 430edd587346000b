using System.ComponentModel.DataAnnotations;

namespace Berth.Runtimes.Process;

/// <summary>How often the replica log folder is swept, and how long the log of a replica the store forgot is kept.</summary>
public sealed class ReplicaLogRetentionOptions
{
    /// <summary>Time between two sweeps (default 10 minutes; the first runs when the server starts).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A log whose replica is no longer in the store (pruned from the history kept per slot, or its service removed) is
    /// deleted once it has not been written for this long (default 10 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(10);
}
