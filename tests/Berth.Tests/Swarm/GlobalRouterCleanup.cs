using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// On dispose, removes the global routers' Swarm service and secrets a test's server made (the server leaves them
/// running when it stops, on purpose: the data plane outlives the control plane).
/// </summary>
internal sealed class GlobalRouterCleanup(Func<Docker.DotNet.DockerClient> connect) : IAsyncDisposable
{
    public GlobalRouterCleanup()
        : this(DockerEngine.Connect)
    {
    }

    public async Task<IList<SwarmService>> ServicesAsync()
    {
        using var docker = connect();
        return await docker.Swarm.ListServicesAsync(new ServiceListParameters { Filters = RouterFilter() });
    }

    public async ValueTask DisposeAsync()
    {
        using var docker = connect();
        var volumes = new List<string>();
        foreach (var service in await docker.Swarm.ListServicesAsync(new ServiceListParameters { Filters = RouterFilter() }))
        {
            volumes.AddRange(service.Spec?.TaskTemplate?.ContainerSpec?.Mounts?.Select(m => m.Source).OfType<string>() ?? []);
            await docker.Swarm.RemoveServiceAsync(service.ID);
        }

        // Secrets and the routers' state volume are removable once the tasks using them are gone.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var secrets = (await docker.Secrets.ListAsync()).Where(s => s.Spec?.Labels?.ContainsKey(SwarmRouterSpec.RoleLabel) == true).ToList();
            foreach (var secret in secrets)
            {
                await TryAsync(() => docker.Secrets.DeleteAsync(secret.ID));
            }

            foreach (var volume in volumes.ToList())
            {
                if (await TryAsync(() => docker.Volumes.RemoveAsync(volume)))
                {
                    volumes.Remove(volume);
                }
            }

            if (secrets.Count == 0 && volumes.Count == 0)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    private static async Task<bool> TryAsync(Func<Task> remove)
    {
        try
        {
            await remove();
            return true;
        }
        catch (Docker.DotNet.DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
        catch (Docker.DotNet.DockerApiException)
        {
            return false;
        }
    }

    private static Dictionary<string, IDictionary<string, bool>> RouterFilter() =>
        new() { ["label"] = new Dictionary<string, bool> { [SwarmRouterSpec.RoleLabel] = true } };
}
