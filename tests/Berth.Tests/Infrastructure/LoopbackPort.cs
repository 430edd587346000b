using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 for front doors.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
