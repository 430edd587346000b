using System.Net.Sockets;
using Berth.Routing.Follower;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Routing.Handover;

/// <summary>
/// The running router's side of `berth router restart`: on its state folder's handover socket it gives the new router
/// its listening sockets (the same sockets, so connections waiting to be accepted stay queued), waits until the new
/// router listens on them, then stands down — stops following the control plane, lets go of the sockets without
/// shutting them down, drains its open requests and exits.
/// </summary>
public sealed partial class ListenerHandoverServer : BackgroundService
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly ListenerSockets _listeners;
    private readonly RouteFollower _follower;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RouteFollowerOptions _options;
    private readonly ILogger<ListenerHandoverServer> _logger;

    public ListenerHandoverServer(ListenerSockets listeners, RouteFollower follower, IHostApplicationLifetime lifetime, IOptions<RouteFollowerOptions> options, ILogger<ListenerHandoverServer> logger)
    {
        _listeners = listeners;
        _follower = follower;
        _lifetime = lifetime;
        _options = options.Value;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Serve(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Serve(CancellationToken stoppingToken)
    {
        var path = Path.Combine(_options.StateDirectory, HandoverBatch.SocketFileName);
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Berth.Security.OwnerOnlyFile.Mode);
        }

        listener.Listen(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Blocking calls on a thread of its own: the descriptors go through sendmsg on a blocking socket.
            if (!listener.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectRead))
            {
                continue;
            }

            using var connection = listener.Accept();
            try
            {
                if (HandOver(connection, stoppingToken))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or System.Text.Json.JsonException)
            {
                Log.Aborted(_logger, exception.Message);
            }
        }
    }

    /// <summary>True once handed over (this router is on its way out); false when the new router gave up first.</summary>
    private bool HandOver(Socket connection, CancellationToken stoppingToken)
    {
        var bound = _listeners.Bound();
        var descriptor = (int)connection.SafeHandle.DangerousGetHandle();
        var batches = bound.Chunk(DescriptorPassing.MaxPerMessage).ToList();
        if (batches.Count == 0)
        {
            batches.Add([]);
        }

        for (var i = 0; i < batches.Count; i++)
        {
            var batch = new HandoverBatch([.. batches[i].Select(b => HandoverBatch.Format(b.Endpoint))], Last: i == batches.Count - 1);
            DescriptorPassing.Send(descriptor, batch.ToJson(), [.. batches[i].Select(b => (int)b.Socket.SafeHandle.DangerousGetHandle())]);
        }

        var answer = new byte[16];
        if (!connection.Poll(ReadyTimeout, SelectMode.SelectRead) || connection.Receive(answer) is var read && System.Text.Encoding.ASCII.GetString(answer, 0, read) != HandoverBatch.Ready)
        {
            Log.Aborted(_logger, "the new router did not say it was ready");
            return false;
        }

        // From here on the new router serves: stop following the control plane (it takes the route stream over), mark
        // the sockets shared so closing them here does not shut them down, then drain and exit.
        _follower.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        foreach (var (_, socket) in bound)
        {
            DescriptorPassing.MarkShared((int)socket.SafeHandle.DangerousGetHandle());
        }

        Log.HandedOver(_logger, bound.Count);
        connection.Shutdown(SocketShutdown.Both);
        if (!stoppingToken.IsCancellationRequested)
        {
            _lifetime.StopApplication();
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Handed {Count} listening sockets over to the new router; draining, then exiting")]
        public static partial void HandedOver(ILogger logger, int count);

        [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Listener handover aborted ({Reason}); this router keeps serving")]
        public static partial void Aborted(ILogger logger, string reason);
    }
}
