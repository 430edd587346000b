using Berth.Images;
using Berth.Runtimes;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Targets;

/// <summary>Registers deploy targets: the engine's runtime becomes a <see cref="TargetRuntimeDriver"/> over the server's own.</summary>
public static class TargetServiceCollectionExtensions
{
    /// <summary>
    /// Call before the server's own runtime is added (its <see cref="IRuntimeDriver"/> and <see cref="IImagePinner"/>
    /// registrations then stand aside): <paramref name="local"/> and <paramref name="localPinner"/> give them.
    /// </summary>
    public static IServiceCollection AddDeployTargets(
        this IServiceCollection services,
        Func<IServiceProvider, IRuntimeDriver> local,
        Func<IServiceProvider, IImagePinner> localPinner,
        Action<TargetRuntimeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TargetRuntimeOptions>().Configure(configure);
        services.AddSingleton(sp => new TargetRuntimeDriver(local(sp)));
        services.AddSingleton<IRuntimeDriver>(sp => sp.GetRequiredService<TargetRuntimeDriver>());
        services.AddSingleton<IImagePinner>(sp => new TargetImagePinner(localPinner(sp), sp.GetRequiredService<TargetRuntimeDriver>()));
        services.AddSingleton<ITargetRuntimeFactory, TargetRuntimeFactory>();
        services.AddSingleton<TargetRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<TargetRegistry>());
        return services;
    }
}
