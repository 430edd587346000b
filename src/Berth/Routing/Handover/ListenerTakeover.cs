using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Routing.Handover;

/// <summary>
/// The new router's side of `berth router restart`: takes the running router's listening sockets over its handover
/// socket, and once its own front doors listen on them, tells the old router it may let go and waits until it has
/// stood down (so only one router follows the control plane at a time).
/// </summary>
public sealed class ListenerTakeover : IDisposable
{
    private readonly Socket _connection;

    private ListenerTakeover(Socket connection, IReadOnlyDictionary<IPEndPoint, int> descriptors)
    {
        _connection = connection;
        Descriptors = descriptors;
    }

    /// <summary>The sockets received: address → descriptor.</summary>
    public IReadOnlyDictionary<IPEndPoint, int> Descriptors { get; }

    /// <summary>Connects to the router serving from <paramref name="stateDirectory"/> and receives its listening sockets.</summary>
    public static ListenerTakeover Receive(string stateDirectory, TimeSpan timeout)
    {
        var path = Path.Combine(stateDirectory, HandoverBatch.SocketFileName);
        var connection = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            connection.Connect(new UnixDomainSocketEndPoint(path));
            var descriptors = new Dictionary<IPEndPoint, int>();
            var descriptor = (int)connection.SafeHandle.DangerousGetHandle();
            while (true)
            {
                if (!connection.Poll(timeout, SelectMode.SelectRead))
                {
                    throw new IOException($"the running router did not hand its sockets over within {timeout.TotalSeconds:0} s");
                }

                var (text, received) = DescriptorPassing.Receive(descriptor);
                if (text.Length == 0)
                {
                    throw new IOException("the running router closed the handover before sending its sockets");
                }

                var batch = HandoverBatch.Parse(text);
                if (batch.Endpoints.Count != received.Count)
                {
                    throw new IOException($"a handover message named {batch.Endpoints.Count} sockets but carried {received.Count}");
                }

                for (var i = 0; i < received.Count; i++)
                {
                    descriptors[HandoverBatch.ParseEndpoint(batch.Endpoints[i])] = received[i];
                }

                if (batch.Last)
                {
                    return new ListenerTakeover(connection, descriptors);
                }
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Tells the old router this one listens, then waits (bounded) until it has stood down.</summary>
    public void ReleaseOld(TimeSpan timeout)
    {
        _connection.Send(Encoding.ASCII.GetBytes(HandoverBatch.Ready));
        if (_connection.Poll(timeout, SelectMode.SelectRead))
        {
            _ = _connection.Receive(new byte[16]);
        }
    }

    public void Dispose() => _connection.Dispose();
}
