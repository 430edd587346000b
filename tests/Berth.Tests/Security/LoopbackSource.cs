using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Security;

/// <summary>HTTP handlers whose connections come from a fresh loopback address each (127.0.1.1, 127.0.1.2, …).</summary>
internal static class LoopbackSource
{
    private static int _next;

    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 0, (byte)(1 + (n / 250)), (byte)(1 + (n % 250))]);
    }

    public static SocketsHttpHandler Handler(IPAddress? source = null)
    {
        var from = source ?? NextAddress();
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
