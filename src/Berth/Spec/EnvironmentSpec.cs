namespace Berth.Spec;

/// <summary>
/// One environment of the stack's delivery pipeline (<c>x-berth.environments</c>, in order: dev, staging, prod…): where
/// it runs, what it changes in the services, how a release enters it and which gates it must pass to leave it.
/// </summary>
public sealed record EnvironmentSpec
{
    /// <summary>Lower-case letters, digits and '-'; its stack is <c>STACK-NAME</c> (see Pipeline.EnvironmentStacks).</summary>
    public required string Name { get; init; }

    /// <summary>A target the server's admin defined (<c>berth target ls</c>); <c>local</c> is the server's own runtime.</summary>
    public string Target { get; init; } = TargetNames.Local;

    /// <summary>How a release enters: <see cref="EntryModes.Auto"/> (continuous deployment) or <see cref="EntryModes.Manual"/> (an approval).</summary>
    public string Entry { get; init; } = EntryModes.Auto;

    /// <summary>Added to every published port (and preview port), so environments on one target never share a port.</summary>
    public int PortOffset { get; init; }

    /// <summary>Replicas of every replicated service here, unless <see cref="Services"/> says otherwise; null keeps the file's.</summary>
    public int? Replicas { get; init; }

    /// <summary>Variables added to every service's environment here (they win over the file's).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>rolling</c> replaces the services' blue/green or canary strategy here (e.g. in dev); null keeps it.</summary>
    public string? Strategy { get; init; }

    /// <summary>Per-service overrides, by the service's name in the file.</summary>
    public IReadOnlyDictionary<string, EnvironmentServiceSpec> Services { get; init; } = new Dictionary<string, EnvironmentServiceSpec>();

    /// <summary>What a release must pass here before it goes on to the next environment.</summary>
    public GatesSpec Gates { get; init; } = new();

    /// <summary>An http(s) URL told of every promotion, approval, rejection and gate result here (signed JSON POST), or null.</summary>
    public string? Webhook { get; init; }
}

/// <summary>One service's overrides in an environment.</summary>
public sealed record EnvironmentServiceSpec
{
    public int? Replicas { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The gates a release must pass in an environment, once its rollout there completed, before it may enter the next one:
/// every service healthy for a time, a smoke command that exits 0; all within <see cref="Timeout"/>.
/// </summary>
public sealed record GatesSpec
{
    /// <summary>Every service of the stack stays running and healthy this long (null: no such gate).</summary>
    public TimeSpan? HealthyFor { get; init; }

    /// <summary>A shell command (<c>/bin/sh -c</c>) the server runs once the rollout completed; exit code 0 passes.</summary>
    public string? Smoke { get; init; }

    /// <summary>The smoke command is killed (and fails) past this.</summary>
    public TimeSpan SmokeTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Measurements of every routed service's new release from the router's KPIs, one per interval: <c>count</c> must
    /// pass; one failure fails the gate; an inconclusive one (too little traffic) is measured again until the timeout.
    /// </summary>
    public AnalysisSpec? Analysis { get; init; }

    /// <summary>A shell command started with the analysis to give it traffic (e.g. <c>hey -z 30s $BERTH_URL_APP/</c>), or null.</summary>
    public string? Load { get; init; }

    /// <summary>The longest the gates may take together; past it they failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public bool IsEmpty => HealthyFor is null && Smoke is null && Analysis is null;
}

/// <summary>How a release enters an environment.</summary>
public static class EntryModes
{
    /// <summary>As soon as the previous environment's gates passed (continuous deployment).</summary>
    public const string Auto = "auto";

    /// <summary>After <c>berth approve</c> by an approver (continuous delivery); a plain deploy is refused.</summary>
    public const string Manual = "manual";

    public static readonly string[] All = [Auto, Manual];
}

/// <summary>Names of deploy targets.</summary>
public static class TargetNames
{
    /// <summary>The server's own runtime (process or swarm), always defined.</summary>
    public const string Local = "local";
}
