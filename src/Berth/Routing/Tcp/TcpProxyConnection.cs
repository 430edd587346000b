using System.Buffers;
using System.Net.Sockets;

namespace Berth.Routing.Tcp;

/// <summary>
/// One client connection joined to one replica: bytes copied both ways until both sides have finished. An end of
/// stream on one side is passed on as a half-close (the other direction keeps flowing, as a request-then-answer
/// protocol needs); an error on either side closes both.
/// </summary>
internal sealed class TcpProxyConnection
{
    private const int BufferSize = 16 * 1024;
    private readonly Socket _client;
    private readonly Socket _upstream;
    private int _closed;

    public TcpProxyConnection(Socket client, Socket upstream)
    {
        _client = client;
        _upstream = upstream;
    }

    /// <summary>Copies until both directions end (or <see cref="Close"/>); never throws for a network failure.</summary>
    public async Task RunAsync()
    {
        try
        {
            await Task.WhenAll(PumpAsync(_client, _upstream), PumpAsync(_upstream, _client)).ConfigureAwait(false);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Closes both sides now (drain grace over, door closing); the copies then end. Safe to call twice.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        Shut(_client);
        Shut(_upstream);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    // End of stream: pass the FIN on; the other direction may still be answering.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException)
        {
            // Reset, aborted or closed by Close(): the whole connection is over.
            Close();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Shut(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already reset or closed by the peer.
        }

        socket.Dispose();
    }
}
