using Berth.Runtimes;
using Berth.Runtimes.Process;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Runtimes.Process;

public sealed class ProcessRuntimeServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddProcessRuntime_Resolved_ProcessDriverWithConfiguredOptions()
    {
        var directory = Path.Combine(Path.GetTempPath(), "berth-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddProcessRuntime(o => o.RuntimeDirectory = directory);
        await using var provider = services.BuildServiceProvider();

        var driver = provider.GetRequiredService<IRuntimeDriver>();

        Assert.Equal("process", driver.Name);
        Assert.Same(provider.GetRequiredService<ProcessRuntimeDriver>(), driver);
        Assert.Equal(Path.Combine(directory, "logs", "a.log"), ((ProcessRuntimeDriver)driver).LogPathOf("a"));
    }
}
