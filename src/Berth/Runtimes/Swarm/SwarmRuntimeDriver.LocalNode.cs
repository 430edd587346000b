using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Runtimes.Swarm;

public sealed partial class SwarmRuntimeDriver
{
    private bool _localNodeLookedUp;

    /// <summary>
    /// Finds, once, the Swarm node the server runs on (its tasks are reached at <see cref="SwarmRuntimeOptions.LocalAddress"/>):
    /// the engine's own node, when the engine is reached locally (unix socket, loopback) and its node address is one of
    /// this machine's addresses. A manager in another network namespace (scripts/swarm-two-nodes.sh) or on another
    /// host is not local: its tasks are reached at its node address like any other node's.
    /// </summary>
    private async Task LookUpLocalNodeAsync(CancellationToken cancellationToken)
    {
        if (_localNodeLookedUp)
        {
            return;
        }

        if (IsLocalEndpoint(_options.Endpoint))
        {
            var info = await _docker.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false);
            if (info.Swarm?.NodeID is { Length: > 0 } id && IsAddressOfThisMachine(info.Swarm.NodeAddr))
            {
                _localNodeId = id;
            }
        }

        _localNodeLookedUp = true;
    }

    /// <summary>A unix socket (or localhost) means the engine runs on this machine (maybe in another network namespace).</summary>
    private static bool IsLocalEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == "unix" || uri.IsLoopback);

    /// <summary>True for a loopback address, an address of one of this machine's interfaces, or no address at all.</summary>
    internal static bool IsAddressOfThisMachine(string? address)
    {
        if (string.IsNullOrEmpty(address) || !IPAddress.TryParse(address, out var ip))
        {
            return true;
        }

        return IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any)
            || NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(a => a.Address.Equals(ip));
    }
}
