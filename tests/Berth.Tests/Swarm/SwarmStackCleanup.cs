using System.Diagnostics;
using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>On dispose, removes every Swarm service, network and secret labelled with a test's stack, so a failed test leaves nothing running on the shared engine.</summary>
internal sealed class SwarmStackCleanup(string stack) : IAsyncDisposable
{
    public string Stack { get; } = stack;

    public async Task<IList<SwarmService>> ServicesAsync()
    {
        using var docker = DockerEngine.Connect();
        return await docker.Swarm.ListServicesAsync(new ServiceListParameters { Filters = LabelFilter() });
    }

    public async ValueTask DisposeAsync()
    {
        using var docker = DockerEngine.Connect();
        foreach (var service in await docker.Swarm.ListServicesAsync(new ServiceListParameters { Filters = LabelFilter() }))
        {
            await docker.Swarm.RemoveServiceAsync(service.ID);
        }

        // A network is removable once its last task is gone.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilter() });
            if (networks.Count == 0)
            {
                break;
            }

            foreach (var network in networks)
            {
                try
                {
                    await docker.Networks.DeleteNetworkAsync(network.ID);
                }
                catch (Docker.DotNet.DockerApiException)
                {
                }
            }

            await Task.Delay(500);
        }

        foreach (var secret in (await docker.Secrets.ListAsync()).Where(s => s.Spec?.Labels?.TryGetValue(SwarmLabels.Stack, out var stack) == true && stack == Stack))
        {
            try
            {
                await docker.Secrets.DeleteAsync(secret.ID);
            }
            catch (Docker.DotNet.DockerApiException)
            {
            }
        }
    }

    private Dictionary<string, IDictionary<string, bool>> LabelFilter() =>
        new() { ["label"] = new Dictionary<string, bool> { [$"{SwarmLabels.Stack}={Stack}"] = true } };
}
