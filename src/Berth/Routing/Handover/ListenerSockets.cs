using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Berth.Routing.Handover;

/// <summary>
/// The listening sockets of a router's front doors. Kestrel asks here for each front door's socket: a socket handed
/// over by the router this one replaces is used as it is (same socket, same queue of waiting connections), any other
/// address gets a new socket. Also lists the sockets in use, for the router that replaces this one.
/// </summary>
public sealed class ListenerSockets
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPEndPoint, int> _inherited = [];
    private readonly Dictionary<IPEndPoint, Socket> _bound = [];

    /// <summary>Sockets handed over by the previous router: address → descriptor, each used at most once.</summary>
    public void Inherit(IReadOnlyDictionary<IPEndPoint, int> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        lock (_gate)
        {
            foreach (var (endpoint, descriptor) in descriptors)
            {
                _inherited[endpoint] = descriptor;
            }
        }
    }

    /// <summary>Kestrel's socket for <paramref name="endpoint"/> (its CreateBoundListenSocket).</summary>
    public Socket CreateBound(EndPoint endpoint)
    {
        Socket socket;
        lock (_gate)
        {
            socket = endpoint is IPEndPoint ip && _inherited.Remove(ip, out var descriptor)
                ? new Socket(new SafeSocketHandle(descriptor, ownsHandle: true))
                : SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            if (endpoint is IPEndPoint address)
            {
                _bound[address] = socket;
            }
        }

        return socket;
    }

    /// <summary>A front door closed: its socket is no longer one to hand over.</summary>
    public void Release(IPEndPoint endpoint)
    {
        lock (_gate)
        {
            _bound.Remove(endpoint);
        }
    }

    /// <summary>Every listening socket in use, with its address.</summary>
    public IReadOnlyList<(IPEndPoint Endpoint, Socket Socket)> Bound()
    {
        lock (_gate)
        {
            return _bound.Select(b => (b.Key, b.Value)).ToList();
        }
    }

    /// <summary>Closes the handed-over sockets no front door took (a service removed meanwhile); returns how many.</summary>
    public int CloseUnused()
    {
        lock (_gate)
        {
            foreach (var descriptor in _inherited.Values)
            {
                DescriptorPassing.Close(descriptor);
            }

            var count = _inherited.Count;
            _inherited.Clear();
            return count;
        }
    }
}
