using System.Globalization;
using Berth.Api;
using Berth.Cli.Commands.Rollouts;
using Berth.Cli.Commands.Stacks;
using Berth.Store;

namespace Berth.Cli.Commands.Deploy;

/// <summary>
/// Where one service stands in a deploy: healthy replicas of the new release against the desired count, or, for a
/// service the deploy prunes, the replicas it has left.
/// </summary>
public sealed record ServiceProgress(string Service, int Release, int Healthy, int? Desired, string Status, string? StatusReason)
{
    /// <summary>Set for a service removed by --prune: its replicas left, or gone. Its release and counts mean nothing then.</summary>
    public ServiceRemovalProgress? Removal { get; init; }

    /// <summary>The progress of a service the deploy prunes.</summary>
    public static ServiceProgress Pruned(ServiceRemovalProgress removal) =>
        new(removal.Service, 0, 0, null, removal.Removed ? "removed" : "removing", null) { Removal = removal };

    /// <summary>
    /// The engine says the service converged: running (every desired replica of the new release is ready) or degraded
    /// (some slot is down on purpose, e.g. a one-shot job under restart_policy condition none). The count alone is not
    /// enough: a crash-looping replica is "running" for a moment.
    /// </summary>
    public bool Done => Removal?.Removed ?? (AwaitingPromotion || (Desired is { } desired && (Status == "degraded" || (Status == "running" && Healthy >= desired))));

    /// <summary>
    /// A blue/green or canary rollout to this release waits for `berth promote` (green ready, or a `pause: {}` step):
    /// the deploy did its part; the human decides the rest.
    /// </summary>
    public bool AwaitingPromotion => Rollout is { State: RolloutStates.Paused, Progress.Phase: RolloutPhases.AwaitingPromotion };

    /// <summary>The service's latest rollout when it targets this release; null before it exists or when there is none (a first deploy).</summary>
    public RolloutInfo? Rollout { get; init; }

    /// <summary>The engine gave up on the service, or the rollout to this release stopped short (paused, rolled back, superseded).</summary>
    public bool Failed => Removal is null && (Status == "failed" || RolloutFailed);

    /// <summary>True when <see cref="Rollout"/> ended without reaching the release.</summary>
    public bool RolloutFailed => Rollout is { } rollout && !AwaitingPromotion && RolloutStates.IsFailure(rollout.State);

    /// <summary>"articles_app: rollout to release 2 rolled_back: {reason}" or "service articles_app failed: {statusReason}".</summary>
    public string FailureMessage => Rollout is { } rollout && RolloutFailed
        ? RolloutText.Headline(rollout)
        : $"service {Service} failed: {StatusReason ?? "no reason given"}";

    /// <summary>"healthy 2/3", or "waiting for the service" before the server lists it.</summary>
    public string Summary => Desired is { } desired
        ? string.Create(CultureInfo.InvariantCulture, $"healthy {Healthy}/{desired}")
        : "waiting for the service";
}
