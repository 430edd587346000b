namespace Berth.Spec;

/// <summary>One entry of <c>depends_on</c> (the list form means condition service_started).</summary>
public sealed record DependsOnSpec
{
    /// <summary>service_started, service_healthy or service_completed_successfully.</summary>
    public string Condition { get; init; } = "service_started";
    public bool Restart { get; init; }
    public bool Required { get; init; } = true;
}
