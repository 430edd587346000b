using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Swarm services of this data folder's replicas that its store does not know (after `berth server --restore` put
/// back an older store): found by their owner and replica labels, then removed (Swarm stops their tasks); then the
/// overlay networks and secrets of the stacks it does not know, found by their owner and stack labels. What another
/// data folder made, or what was made before Berth labelled an owner, is never touched.
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

    /// <summary>
    /// Removes this data folder's networks and secrets of stacks not in <paramref name="knownStacks"/>, once the tasks
    /// using them are gone (retried for up to <paramref name="wait"/>); returns each one removed, and each one still in use then.
    /// </summary>
    public static async Task<StackLeftovers> RemoveStackResourcesAsync(
        SwarmRuntimeOptions options, string owner, IReadOnlySet<string> knownStacks, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(knownStacks);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        using var client = SwarmDockerClient.Create(options);
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{SwarmLabels.Owner}={owner}"] = true } };
        var networks = (await client.Networks.ListNetworksAsync(new Models.NetworksListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false))
            .Where(n => StackOf(n.Labels) is { } stack && !knownStacks.Contains(stack))
            .Select(n => new StackResource(StackOf(n.Labels)!, "network", n.Name ?? n.ID, () => client.Networks.DeleteNetworkAsync(n.ID, cancellationToken)))
            .ToList();
        var secrets = (await client.Secrets.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Spec?.Labels is { } labels && labels.TryGetValue(SwarmLabels.Owner, out var by) && by == owner
                && StackOf(labels) is { } stack && !knownStacks.Contains(stack))
            .Select(s => new StackResource(StackOf(s.Spec!.Labels)!, "secret", s.Spec!.Name ?? s.ID, () => client.Secrets.DeleteAsync(s.ID, cancellationToken)))
            .ToList();

        // Secrets first: a network is removable once its last task is gone, which also frees the secrets.
        var pending = secrets.Concat(networks).ToList();
        var removed = new List<StackResource>();
        var deadline = DateTimeOffset.UtcNow + wait;
        while (pending.Count > 0)
        {
            foreach (var resource in pending.ToList())
            {
                try
                {
                    await resource.Remove().ConfigureAwait(false);
                    removed.Add(resource);
                    pending.Remove(resource);
                }
                catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    pending.Remove(resource);
                }
                catch (DockerApiException)
                {
                    // Still in use by a task that is stopping: tried again below.
                }
            }

            if (pending.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        return new StackLeftovers(removed, pending);
    }

    private static string? StackOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(SwarmLabels.Stack, out var stack) ? stack : null;
}

/// <summary>A network or secret of a stack, and how to remove it.</summary>
public sealed record StackResource(string Stack, string Kind, string Name, Func<Task> Remove);

/// <summary>What <see cref="SwarmOrphans.RemoveStackResourcesAsync"/> removed, and what was still in use when it stopped trying.</summary>
public sealed record StackLeftovers(IReadOnlyList<StackResource> Removed, IReadOnlyList<StackResource> StillInUse);
