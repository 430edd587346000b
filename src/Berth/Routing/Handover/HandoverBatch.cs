using System.Net;
using System.Text.Json;

namespace Berth.Routing.Handover;

/// <summary>
/// One message of a listener handover: the addresses of the listening sockets it carries, in the order of its
/// descriptors; <see cref="Last"/> on the final one.
/// </summary>
internal sealed record HandoverBatch(IReadOnlyList<string> Endpoints, bool Last)
{
    /// <summary>The socket file in a router's state folder where it hands its listeners over.</summary>
    public const string SocketFileName = "handover.sock";

    /// <summary>What the new router answers once its front doors listen on the sockets: the old one may let go.</summary>
    public const string Ready = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static HandoverBatch Parse(string json) =>
        JsonSerializer.Deserialize<HandoverBatch>(json, Json) ?? throw new JsonException("an empty handover message");

    public static string Format(IPEndPoint endpoint) => endpoint.ToString();

    public static IPEndPoint ParseEndpoint(string text) => IPEndPoint.Parse(text);
}
