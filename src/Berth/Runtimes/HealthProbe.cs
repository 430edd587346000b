namespace Berth.Runtimes;

/// <summary>A replica health check: an HTTP GET on the replica's port, or a command; with compose's timing.</summary>
public sealed record HealthProbe
{
    public static readonly HealthProbe None = new();

    /// <summary>Path for an HTTP GET on 127.0.0.1:PORT (2xx/3xx = healthy).</summary>
    public string? HttpPath { get; init; }

    /// <summary>Command run with the replica's environment (exit 0 = healthy); ["/bin/sh","-c",line] for CMD-SHELL.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public int Retries { get; init; } = 3;
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>Probe interval during the start period (compose start_interval, default 5s).</summary>
    public TimeSpan StartInterval { get; init; } = TimeSpan.FromSeconds(5);
    public bool IsNone => HttpPath is null && Command is null;
}
