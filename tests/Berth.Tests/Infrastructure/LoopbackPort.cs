using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 for front doors.</summary>
internal static class LoopbackPort
{
    // Below Linux's ephemeral range (32768–60999): no outgoing connection can take a port from here between the check
    // and the moment the test's server binds it.
    private const int BlockRangeStart = 20000;
    private const int BlockRangeEnd = 32000;

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

    /// <summary>
    /// A base port P such that P, P+1 … P+<paramref name="size"/>-1 are all free, chosen outside the ephemeral range, for
    /// tests that publish several ports derived from one (port offsets).
    /// </summary>
    public static int FreeBlock(int size)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(BlockRangeStart, BlockRangeEnd - size);
            if (Enumerable.Range(start, size).All(IsFree))
                return start;
        }
        throw new InvalidOperationException($"no block of {size} free loopback ports between {BlockRangeStart} and {BlockRangeEnd}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
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
