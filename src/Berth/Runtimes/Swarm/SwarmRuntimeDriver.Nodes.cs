using System.Runtime.CompilerServices;
using System.Text;
using Berth.Api;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

public sealed partial class SwarmRuntimeDriver
{
    public async Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await RefreshNodesAsync(cancellationToken).ConfigureAwait(false);
        var nodes = await _docker.Swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var running = _replicas.Values
            .Where(r => r.Current.State == ReplicaRunState.Running && r.NodeId is not null)
            .GroupBy(r => r.NodeId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return nodes
            .OrderBy(n => n.Description?.Hostname, StringComparer.Ordinal)
            .Select(n => new NodeObservation(
                n.ID,
                n.Description?.Hostname ?? n.ID,
                n.Spec?.Role ?? "worker",
                n.Spec?.Availability ?? NodeAvailabilities.Active,
                n.Status?.State ?? "unknown",
                n.Status?.Addr)
            {
                Replicas = running.GetValueOrDefault(n.ID),
                IsLocal = n.ID == _localNodeId,
            })
            .ToList();
    }

    public async Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!NodeAvailabilities.All.Contains(availability))
        {
            throw new RuntimeRefusedException(RuntimeRefusal.InvalidValue, $"availability '{availability}' is not one of {string.Join(", ", NodeAvailabilities.All)}");
        }

        var nodes = await _docker.Swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var matches = nodes.Where(n => n.ID == node || n.Description?.Hostname == node).ToList();
        if (matches.Count == 0)
        {
            matches = nodes.Where(n => n.ID.StartsWith(node, StringComparison.Ordinal)).ToList();
        }

        var target = matches.Count switch
        {
            1 => matches[0],
            0 => throw new RuntimeRefusedException(
                RuntimeRefusal.UnknownObject,
                $"no node {node}; the nodes are: {string.Join(", ", nodes.Select(n => $"{n.Description?.Hostname} ({n.ID})"))}"),
            _ => throw new RuntimeRefusedException(RuntimeRefusal.InvalidValue, $"node {node} is ambiguous: {string.Join(", ", matches.Select(n => n.ID))}; give the full id"),
        };

        // Swarm rejects an update made against an older version of the node: inspect, then update that version.
        var current = await _docker.Swarm.InspectNodeAsync(target.ID, cancellationToken).ConfigureAwait(false);
        var spec = current.Spec ?? new Models.NodeUpdateParameters();
        await _docker.Swarm.UpdateNodeAsync(
            target.ID,
            current.Version?.Index ?? 0,
            new Models.NodeUpdateParameters { Name = spec.Name, Labels = spec.Labels, Role = spec.Role, Availability = availability },
            cancellationToken).ConfigureAwait(false);
        SwarmRuntimeLog.NodeAvailabilitySet(_logger, target.Description?.Hostname ?? target.ID, availability);
    }

    public async IAsyncEnumerable<LogLine> ReadLogsAsync(
        string replicaId, int tail, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var service = _replicas.TryGetValue(replicaId, out var replica) && replica.ServiceId is { } known
            ? known
            : (await FindServiceAsync(replicaId, cancellationToken).ConfigureAwait(false))?.ID;
        if (service is null)
        {
            yield break;
        }

        MultiplexedStream stream;
        try
        {
            stream = await _docker.Swarm.GetServiceLogsAsync(
                service,
                tty: false,
                new Models.ServiceLogsParameters
                {
                    ShowStdout = true,
                    ShowStderr = true,
                    Follow = follow,
                    Tail = tail < 0 ? "all" : tail.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            yield break;
        }

        using (stream)
        {
            var buffer = new byte[16 * 1024];
            var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>();
            var decoder = Encoding.UTF8;
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    break;
                }

                if (!pending.TryGetValue(read.Target, out var text))
                {
                    pending[read.Target] = text = new StringBuilder();
                }

                text.Append(decoder.GetString(buffer, 0, read.Count));
                foreach (var line in TakeLines(text))
                {
                    yield return new LogLine(replicaId, line);
                }
            }

            foreach (var rest in pending.Values.Where(t => t.Length > 0))
            {
                yield return new LogLine(replicaId, rest.ToString().TrimEnd('\r'));
            }
        }
    }

    private static List<string> TakeLines(StringBuilder text)
    {
        var lines = new List<string>();
        var all = text.ToString();
        var start = 0;
        for (var newline = all.IndexOf('\n', start); newline >= 0; newline = all.IndexOf('\n', start))
        {
            lines.Add(all[start..newline].TrimEnd('\r'));
            start = newline + 1;
        }

        text.Remove(0, start);
        return lines;
    }
}
