using System.Net;
using System.Net.Sockets;
using Berth.Spec;
using Berth.Store;

namespace Berth.Deployments;

/// <summary>Finds published ports a stack cannot have: claimed by another Berth service, or already bound by another program.</summary>
public sealed class PublishedPortChecker
{
    private readonly BerthStore _store;

    public PublishedPortChecker(BerthStore store) => _store = store;

    public async Task<IReadOnlyList<string>> FindConflictsAsync(string stack, IReadOnlyList<ServiceSpec> services, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var claimed = new Dictionary<int, string>();
        foreach (var other in await _store.GetServicesAsync(cancellationToken))
        {
            if (other.Stack == stack || other.Removing)
            {
                continue;
            }

            var release = await _store.GetReleaseAsync(other.Name, other.Release, cancellationToken);
            foreach (var port in release?.Spec.Ports ?? [])
            {
                if (port.Published is { } published)
                {
                    claimed[published] = other.Name;
                }
            }
        }

        var mine = new HashSet<int>(await PortsOfStackAsync(stack, cancellationToken));
        var inThisFile = new Dictionary<int, string>();
        foreach (var service in services)
        {
            foreach (var port in service.Ports.Where(p => p.Published is not null))
            {
                var published = port.Published!.Value;
                if (inThisFile.TryGetValue(published, out var sibling) && sibling != service.Name)
                {
                    problems.Add($"service {service.Name}: ports: {published} is also published by service {sibling}");
                }
                else if (claimed.TryGetValue(published, out var owner))
                {
                    problems.Add($"service {service.Name}: ports: {published} is already published by service {owner}");
                }
                else if (!mine.Contains(published) && !IsFree(port.HostIp, published))
                {
                    problems.Add($"service {service.Name}: ports: {published} is already in use by another program on {port.HostIp ?? "127.0.0.1"}");
                }

                inThisFile[published] = service.Name;
            }
        }

        return problems;
    }

    private async Task<IEnumerable<int>> PortsOfStackAsync(string stack, CancellationToken cancellationToken)
    {
        var ports = new List<int>();
        foreach (var service in await _store.ReadAsync(tx => tx.GetServicesAsync(stack, cancellationToken), cancellationToken))
        {
            var release = await _store.GetReleaseAsync(service.Name, service.Release, cancellationToken);
            ports.AddRange((release?.Spec.Ports ?? []).Select(p => p.Published).OfType<int>());
        }

        return ports;
    }

    private static bool IsFree(string? hostIp, int port)
    {
        var address = hostIp is null || hostIp is "0.0.0.0" or "" ? IPAddress.Loopback : IPAddress.TryParse(hostIp, out var parsed) ? parsed : IPAddress.Loopback;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
