namespace Berth.Api;

/// <summary>One release of a service, as `berth releases SERVICE` lists it.</summary>
public sealed record ReleaseInfo
{
    public required int Number { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>What changed from the release before ("environment.ARTICLES_VERSION: 1 → 2").</summary>
    public required string Summary { get; init; }

    /// <summary>Image or process command.</summary>
    public required string Artifact { get; init; }

    /// <summary>
    /// What the release pins its image to (Swarm runtime): the registry's manifest digest <c>sha256:…</c>, or the
    /// engine's local image ID <c>sha256:…</c> for an image never pushed (<see cref="PinnedImage"/> then has no <c>@</c>);
    /// or, on the process runtime, the release's artifact (<c>x-berth.process.artifact</c>); null when nothing is pinned.
    /// </summary>
    public string? Digest { get; init; }

    /// <summary>The exact reference replicas run: <c>IMAGE@sha256:…</c>, or the local image ID; null when nothing is pinned.</summary>
    public string? PinnedImage { get; init; }

    /// <summary>current (replicas should run it), previous, failed (a rollout to it was rolled back or paused), or old.</summary>
    public required string State { get; init; }
}
