using System.Globalization;

namespace Berth.Cli.Commands.Deploy;

/// <summary>Where one service stands in a rollout: healthy replicas of the new release against the desired count.</summary>
public sealed record ServiceProgress(string Service, int Release, int Healthy, int? Desired, string Status, string? StatusReason)
{
    /// <summary>All desired replicas of the new release are healthy.</summary>
    public bool Done => Desired is { } desired && Healthy >= desired && !Failed;

    public bool Failed => Status == "failed";

    /// <summary>"healthy 2/3", or "waiting for the service" before the server lists it.</summary>
    public string Summary => Desired is { } desired
        ? string.Create(CultureInfo.InvariantCulture, $"healthy {Healthy}/{desired}")
        : "waiting for the service";
}
