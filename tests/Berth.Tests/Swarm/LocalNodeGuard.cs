using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// The engine's own Swarm node, for tests that drain it: on dispose it is made active again through the Engine API,
/// whatever the test did, so a failed test cannot leave the shared node drained.
/// </summary>
internal sealed class LocalNodeGuard : IAsyncDisposable
{
    private LocalNodeGuard(string id, string hostname)
    {
        Id = id;
        Hostname = hostname;
    }

    public string Id { get; }

    public string Hostname { get; }

    public static async Task<LocalNodeGuard> OpenAsync()
    {
        using var docker = DockerEngine.Connect();
        var info = await docker.System.GetSystemInfoAsync();
        var node = await docker.Swarm.InspectNodeAsync(info.Swarm.NodeID);
        return new LocalNodeGuard(node.ID, node.Description?.Hostname ?? node.ID);
    }

    public async Task<string> AvailabilityAsync()
    {
        using var docker = DockerEngine.Connect();
        return (await docker.Swarm.InspectNodeAsync(Id)).Spec?.Availability ?? "unknown";
    }

    /// <summary>
    /// Waits (bounded) until the node runs no Swarm service but <paramref name="stack"/>'s: other test runs sharing this
    /// engine (another worktree's) should not see their tasks stopped by a drain. Returns the services still there.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitForOtherServicesToLeaveAsync(string stack, TimeSpan timeout)
    {
        using var docker = DockerEngine.Connect();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var others = (await docker.Swarm.ListServicesAsync())
                .Where(s => s.Spec?.Labels?.TryGetValue("berth.stack", out var owner) != true || owner != stack)
                .Select(s => s.Spec?.Name ?? s.ID)
                .ToList();
            if (others.Count == 0 || clock.Elapsed > timeout)
            {
                return others;
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var docker = DockerEngine.Connect();
        var node = await docker.Swarm.InspectNodeAsync(Id);
        if (node.Spec is { Availability: not "active" } spec)
        {
            await docker.Swarm.UpdateNodeAsync(
                Id,
                node.Version?.Index ?? 0,
                new NodeUpdateParameters { Name = spec.Name, Labels = spec.Labels, Role = spec.Role, Availability = "active" });
        }
    }
}
