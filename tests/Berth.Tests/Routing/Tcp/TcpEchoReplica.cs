using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Routing;

namespace Berth.Tests.Routing.Tcp;

/// <summary>
/// A TCP echo server on 127.0.0.1 standing for one replica: it greets each connection with its name and a newline,
/// then sends back every byte it receives. It counts connections, and can be stopped (its port then refuses).
/// </summary>
internal sealed class TcpEchoReplica : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _accepted;
    private int _open;

    private TcpEchoReplica(string name, TcpListener listener)
    {
        Name = name;
        _listener = listener;
        Address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    /// <summary>host:port, as a replica's endpoint.</summary>
    public string Address { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public int Open => Volatile.Read(ref _open);

    public static TcpEchoReplica Start(string name)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new TcpEchoReplica(name, listener);
    }

    /// <summary>Starts on a given host:port (a replica coming back on its port).</summary>
    public static TcpEchoReplica StartOn(string name, string address)
    {
        var listener = new TcpListener(IPEndPoint.Parse(address));
        listener.Start();
        return new TcpEchoReplica(name, listener);
    }

    public RouteDestination Destination(int release) => new(Name, release, Address);

    /// <summary>Stops listening and closes its connections: later connects are refused.</summary>
    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(EchoAsync(client));
            }
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        Interlocked.Increment(ref _open);
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                var buffer = new byte[4096];
                int read;
                while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The router or the test closed it, or the replica is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
