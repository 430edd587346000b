using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Runtimes.Swarm;

/// <summary>Registers the Docker Swarm runtime as the <see cref="IRuntimeDriver"/>.</summary>
public static class SwarmRuntimeServiceCollectionExtensions
{
    public static IServiceCollection AddSwarmRuntime(this IServiceCollection services, Action<SwarmRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SwarmRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _), "Endpoint must be a URI such as unix:///var/run/docker.sock")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.ProbeTimeout > TimeSpan.Zero, "PollInterval and ProbeTimeout must be positive")
            .Validate(o => o.UnschedulableGrace >= TimeSpan.Zero, "UnschedulableGrace must not be negative")
            .Validate(o => System.Net.IPAddress.TryParse(o.LocalAddress, out _), "LocalAddress must be an IP address")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SwarmRuntimeDriver>();
        services.TryAddSingleton<IRuntimeDriver>(sp => sp.GetRequiredService<SwarmRuntimeDriver>());
        services.TryAddSingleton<Images.IImagePinner>(sp => sp.GetRequiredService<SwarmRuntimeDriver>());
        services.TryAddSingleton<Images.IRegistryLoginCheck>(sp => sp.GetRequiredService<SwarmRuntimeDriver>());
        return services;
    }
}
