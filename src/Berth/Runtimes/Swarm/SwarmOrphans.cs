using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Swarm services of this data folder's replicas that its store does not know (after `berth server --restore` put
/// back an older store): found by their owner and replica labels, then removed (Swarm stops their tasks). Services
/// of another data folder, or made before services carried an owner, are never touched.
/// </summary>
public static class SwarmOrphans
{
    /// <summary>Removes them; returns each one's Swarm service name and Berth replica id.</summary>
    public static async Task<IReadOnlyList<(string ServiceName, string ReplicaId)>> RemoveAsync(
        SwarmRuntimeOptions options, string owner, IReadOnlySet<string> known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        using var client = SwarmDockerClient.Create(options);
        var services = await client.Swarm.ListServicesAsync(
            new Models.ServiceListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{SwarmLabels.Owner}={owner}"] = true },
                },
            },
            cancellationToken).ConfigureAwait(false);
        var removed = new List<(string, string)>();
        foreach (var service in services)
        {
            if (service.Spec?.Labels is not { } labels || !labels.TryGetValue(SwarmLabels.Replica, out var replica) || known.Contains(replica))
            {
                continue;
            }

            try
            {
                await client.Swarm.RemoveServiceAsync(service.ID, cancellationToken).ConfigureAwait(false);
                removed.Add((service.Spec.Name ?? service.ID, replica));
            }
            catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Removed meanwhile.
            }
        }

        return removed;
    }
}
