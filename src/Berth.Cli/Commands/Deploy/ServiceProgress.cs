using System.Globalization;

namespace Berth.Cli.Commands.Deploy;

/// <summary>Where one service stands in a rollout: healthy replicas of the new release against the desired count.</summary>
public sealed record ServiceProgress(string Service, int Release, int Healthy, int? Desired, string Status, string? StatusReason)
{
    /// <summary>
    /// The engine says the service converged: running (every desired replica of the new release is ready) or degraded
    /// (some slot is down on purpose, e.g. a one-shot job under restart_policy condition none). The count alone is not
    /// enough: a crash-looping replica is "running" for a moment.
    /// </summary>
    public bool Done => Desired is { } desired && (Status == "degraded" || (Status == "running" && Healthy >= desired));

    public bool Failed => Status == "failed";

    /// <summary>"healthy 2/3", or "waiting for the service" before the server lists it.</summary>
    public string Summary => Desired is { } desired
        ? string.Create(CultureInfo.InvariantCulture, $"healthy {Healthy}/{desired}")
        : "waiting for the service";
}
