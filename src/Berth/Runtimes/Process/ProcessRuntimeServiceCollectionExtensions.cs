using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Runtimes.Process;

/// <summary>Registers the process runtime as the <see cref="IRuntimeDriver"/>.</summary>
public static class ProcessRuntimeServiceCollectionExtensions
{
    public static IServiceCollection AddProcessRuntime(this IServiceCollection services, Action<ProcessRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ProcessRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.RuntimeDirectory), "RuntimeDirectory is required")
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "BindAddress must be an IP address")
            .Validate(o => o.LogMaxBytes >= 1024, "LogMaxBytes must be at least 1024")
            .Validate(o => o.MonitorInterval > TimeSpan.Zero, "MonitorInterval must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessRuntimeDriver>();
        services.TryAddSingleton<IRuntimeDriver>(sp => sp.GetRequiredService<ProcessRuntimeDriver>());
        return services;
    }
}
