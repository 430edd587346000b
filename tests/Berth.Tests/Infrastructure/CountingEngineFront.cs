using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A plain TCP front on 127.0.0.1 for the local engine's unix socket that keeps what clients sent, so a test can count
/// the Engine API requests a driver makes (e.g. task listings). Stopped on dispose.
/// </summary>
internal sealed partial class CountingEngineFront : IAsyncDisposable
{
    private const string EngineSocket = "/var/run/docker.sock";
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<StringBuilder> _sent = [];
    private readonly Task _accepting;

    private CountingEngineFront()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>DOCKER_HOST for this front.</summary>
    public string DockerHost => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static CountingEngineFront Start() => new();

    /// <summary>The request lines sent so far ("GET /v1.41/tasks?filters=…"), in each connection's order.</summary>
    public IReadOnlyList<string> Requests()
    {
        var requests = new List<string>();
        foreach (var connection in _sent)
        {
            string text;
            lock (connection)
            {
                text = connection.ToString();
            }

            requests.AddRange(RequestLine().Matches(text).Select(m => m.Value));
        }

        return requests;
    }

    /// <summary>How many requests so far went to this Engine API path (e.g. "/tasks"), whatever the API version and query.</summary>
    public int CountOf(string path) =>
        Requests().Count(line => Regex.IsMatch(line, $@"^\w+ (/v[\d.]+)?{Regex.Escape(path)}([?\s]|$)", RegexOptions.CultureInvariant));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAny(_accepting);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var clientSocket = client;
        using var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var sent = new StringBuilder();
        _sent.Add(sent);
        try
        {
            await engine.ConnectAsync(new UnixDomainSocketEndPoint(EngineSocket), _stop.Token);
            var up = CopyAsync(clientSocket, engine, sent);
            var down = CopyAsync(engine, clientSocket, null);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
        }
    }

    private async Task CopyAsync(Socket from, Socket to, StringBuilder? record)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (record is not null)
                {
                    lock (record)
                    {
                        record.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    }
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    [GeneratedRegex(@"(?m)^(GET|POST|PUT|DELETE|HEAD) \S+", RegexOptions.CultureInvariant)]
    private static partial Regex RequestLine();
}
