using Berth.Spec;

namespace Berth.Images;

/// <summary>
/// Resolves a service's image tag to what it designates now, before the release's fingerprint is computed, so that every
/// release pins the bytes it runs (as <c>docker stack deploy --resolve-image always</c> does).
/// </summary>
public interface IImagePinner
{
    Task<ImagePin> PinAsync(ServiceSpec service, CancellationToken cancellationToken);
}

/// <summary>The process runtime's: it runs commands, not images, so nothing is pinned.</summary>
public sealed class NoImagePinning : IImagePinner
{
    public Task<ImagePin> PinAsync(ServiceSpec service, CancellationToken cancellationToken) => Task.FromResult(ImagePin.None);
}
