using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Routing.Tcp;

/// <summary>A client connection through a TCP front door; every read is bounded by a timeout.</summary>
internal sealed class TcpSession : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private TcpSession(TcpClient client, string? replica)
    {
        _client = client;
        _stream = client.GetStream();
        Replica = replica;
    }

    /// <summary>The name the replica greeted with, or null when the connection was closed before any greeting.</summary>
    public string? Replica { get; }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and reads the replica's greeting.</summary>
    public static async Task<TcpSession> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            string? greeting;
            try
            {
                greeting = await ReadLineAsync(client.GetStream(), timeout.Token);
            }
            catch (IOException)
            {
                greeting = null; // Reset by the router: no replica took the connection.
            }

            return new TcpSession(client, greeting);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends a line and returns what came back (the replica echoes it), or null when the connection ended.</summary>
    public async Task<string?> EchoAsync(string line)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), timeout.Token);
            return await ReadLineAsync(_stream, timeout.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits (bounded) until the other side closes the connection; true when it did.</summary>
    public async Task<bool> ClosedByPeerAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[256];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A line without its newline, or null at end of stream.</summary>
    private static async Task<string?> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }
}
