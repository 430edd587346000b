using System.Net;
using System.Net.Sockets;

namespace Berth.Runtimes.Process;

/// <summary>Hands out free TCP ports on the bind address, never the same one to two live replicas.</summary>
internal sealed class PortAllocator(IPAddress address)
{
    private const int MaxAttempts = 100;
    private readonly HashSet<int> _reserved = [];
    private readonly Lock _gate = new();

    /// <summary>Asks the OS for a free port (bind port 0, read it, release it) that no live replica holds.</summary>
    public int Reserve()
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (_gate)
            {
                if (_reserved.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free TCP port on {address} after {MaxAttempts} attempts");
    }

    /// <summary>Marks a port as held (an adopted replica keeps the port it already listens on).</summary>
    public bool TryReserve(int port)
    {
        lock (_gate)
        {
            return _reserved.Add(port);
        }
    }

    public void Release(int port)
    {
        lock (_gate)
        {
            _reserved.Remove(port);
        }
    }
}
