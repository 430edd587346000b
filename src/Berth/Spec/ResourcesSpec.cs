namespace Berth.Spec;

/// <summary><c>deploy.resources</c>: limits and reservations.</summary>
public sealed record ResourcesSpec
{
    public ResourceAmountSpec? Limits { get; init; }
    public ResourceAmountSpec? Reservations { get; init; }
}

/// <summary>CPU (in cores), memory (in bytes) and pids of a limit or reservation.</summary>
public sealed record ResourceAmountSpec
{
    public double? Cpus { get; init; }
    public long? MemoryBytes { get; init; }
    public int? Pids { get; init; }
}
