namespace Berth.Routing;

/// <summary>How a service's traffic is balanced, kept sticky, health-checked and made visible (x-berth.router).</summary>
public sealed record RouteSettings
{
    /// <summary>power_of_two_choices (default), least_requests, round_robin, random.</summary>
    public string Balancing { get; init; } = BalancingPolicies.PowerOfTwoChoices;

    /// <summary>Header carrying the user id for sticky splits; when absent, a cookie is used.</summary>
    public string? UserHeader { get; init; }

    /// <summary>Cookie carrying the user id; Berth sets it when the request has none.</summary>
    public string UserCookie { get; init; } = "berth_user";

    /// <summary>Testers' override: "canary"/"candidate"/"green" or "stable"/"blue" forces a pool.</summary>
    public string OverrideHeader { get; init; } = "X-Berth-Release";

    /// <summary>When set, only requests matching it may reach the candidate (A/B).</summary>
    public MatchRule? Match { get; init; }

    /// <summary>Adds "X-Berth-Served-By: release=N; replica=ID" to responses.</summary>
    public bool ServedByHeader { get; init; } = true;

    /// <summary>Path probed on each replica by the router's active health check; null = rely on the runtime's health.</summary>
    public string? HealthPath { get; init; }
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive connection failures or 5xx answers that eject a replica.</summary>
    public int EjectAfterFailures { get; init; } = 3;

    /// <summary>How long an ejected replica stays out before it is tried again.</summary>
    public TimeSpan EjectionPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for in-flight requests when a replica leaves.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait for a replica's next bytes, as nginx's proxy_read_timeout (default 60 s): then the request fails
    /// (504), or is tried once on another replica when its method is retried (<see cref="RetryMethods"/>).
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The service's stop_grace_period: how long a TCP connection to a replica that left the route keeps flowing
    /// before the router closes it.
    /// </summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Methods retried once on another replica when the connection fails.</summary>
    public IReadOnlyList<string> RetryMethods { get; init; } = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
}

/// <summary>A header or cookie condition (A/B routing).</summary>
public sealed record MatchRule(string? Header, string? Cookie, string Value);

/// <summary>Balancing policies offered (names as in x-berth.router.balancing).</summary>
public static class BalancingPolicies
{
    public const string PowerOfTwoChoices = "power_of_two_choices";
    public const string LeastRequests = "least_requests";
    public const string RoundRobin = "round_robin";
    public const string Random = "random";
    public static readonly IReadOnlyList<string> All = [PowerOfTwoChoices, LeastRequests, RoundRobin, Random];

    /// <summary>The YARP policy name for a Berth balancing name.</summary>
    public static string ToYarp(string name) => name switch
    {
        LeastRequests => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.LeastRequests,
        RoundRobin => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.RoundRobin,
        Random => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.Random,
        _ => Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.PowerOfTwoChoices,
    };
}
