using Berth.Images;
using Berth.Spec;

namespace Berth.Targets;

/// <summary>
/// Pins a service's image with the engine of the target it runs on (<see cref="ServiceSpec.Target"/>): a Docker
/// target's Swarm runtime, else the server's own pinner (none on the process runtime).
/// </summary>
public sealed class TargetImagePinner(IImagePinner local, TargetRuntimeDriver runtime) : IImagePinner
{
    public Task<ImagePin> PinAsync(ServiceSpec service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Target is { } target && runtime.Targets.TryGetValue(target, out var driver))
        {
            // A process target runs commands, not images: nothing to pin there.
            return driver is IImagePinner pinner ? pinner.PinAsync(service, cancellationToken) : Task.FromResult(ImagePin.None);
        }

        return local.PinAsync(service, cancellationToken);
    }
}
