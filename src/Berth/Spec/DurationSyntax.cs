namespace Berth.Spec;

/// <summary>
/// What <see cref="DurationCodec"/> accepts beyond Go durations (<c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>): compose files
/// take what Docker takes, the CLI adds days.
/// </summary>
[Flags]
public enum DurationSyntax
{
    /// <summary>Go durations only: numbers with units ns, us (µs), ms, s, m, h, combined (<c>2h45m</c>) and decimal (<c>1.5h</c>).</summary>
    Go = 0,

    /// <summary>A bare number means seconds (<c>30</c>, <c>2.5</c>).</summary>
    BareSeconds = 1,

    /// <summary>The unit <c>d</c>, 24 hours (<c>30d</c>, <c>1d12h</c>).</summary>
    Days = 2,

    /// <summary>What compose keys take (as Docker does): Go durations and bare seconds; no days.</summary>
    Compose = BareSeconds,

    /// <summary>What CLI options such as <c>--timeout</c> take: Go durations, days and bare seconds (<c>--timeout 120</c>).</summary>
    Cli = BareSeconds | Days,
}
