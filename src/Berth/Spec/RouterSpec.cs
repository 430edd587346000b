namespace Berth.Spec;

/// <summary><c>x-berth.router</c>: per-service router settings; every field is optional (null = the router's default).</summary>
public sealed record RouterSpec
{
    /// <summary>power_of_two_choices (default), least_requests, round_robin or random.</summary>
    public string? Balancing { get; init; }

    /// <summary>Header holding the user id for sticky splits (else the cookie).</summary>
    public string? UserHeader { get; init; }

    /// <summary>Cookie holding the user id (default berth_user); Berth sets it when absent.</summary>
    public string? UserCookie { get; init; }

    /// <summary>Header testers use to force a release (default X-Berth-Release).</summary>
    public string? OverrideHeader { get; init; }

    /// <summary>Adds X-Berth-Served-By to responses (default true).</summary>
    public bool? ServedByHeader { get; init; }

    /// <summary>Path of the router's active health check (default: x-berth.health.http_path).</summary>
    public string? HealthPath { get; init; }
    public TimeSpan? HealthInterval { get; init; }
    public TimeSpan? HealthTimeout { get; init; }

    /// <summary>Consecutive failures (connection errors or 5xx) that eject a replica (default 3).</summary>
    public int? EjectAfterFailures { get; init; }
    public TimeSpan? EjectionPeriod { get; init; }
    public TimeSpan? DrainTimeout { get; init; }

    /// <summary>Longest wait for a replica's next bytes (its answer): then 504, or one retry elsewhere for a retried method (default 60 s).</summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>Methods retried once on another replica after a connection failure.</summary>
    public IReadOnlyList<string>? RetryMethods { get; init; }
}
