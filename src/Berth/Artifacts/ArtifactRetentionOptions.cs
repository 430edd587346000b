using System.ComponentModel.DataAnnotations;

namespace Berth.Artifacts;

/// <summary>How often the artifact store is swept, and how long an artifact no release names is kept.</summary>
public sealed class ArtifactRetentionOptions
{
    /// <summary>Time between two sweeps (default 1 hour; the first runs when the server starts).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An artifact no kept release names is removed once it is this old (default 1 hour): an upload waits that long for
    /// the deploy that names it; `berth deploy` asking whether the server has it makes it new again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(1);
}
