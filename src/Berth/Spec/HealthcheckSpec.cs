namespace Berth.Spec;

/// <summary>The compose <c>healthcheck</c>, normalized.</summary>
public sealed record HealthcheckSpec
{
    /// <summary>["CMD", arg...], ["CMD-SHELL", "line"] or ["NONE"]; a string in the file becomes CMD-SHELL.</summary>
    public IReadOnlyList<string> Test { get; init; } = [];
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public int Retries { get; init; } = 3;
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
    public TimeSpan StartInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>True for <c>disable: true</c> or a test of ["NONE"].</summary>
    public bool Disabled { get; init; }
}
