using System.Security.Cryptography;
using System.Text;

namespace Berth.Pipeline;

/// <summary>
/// The server's webhook signing key: 32 random bytes kept as hex in <c>DATA/webhook.key</c> (0600), made on first use.
/// A receiver checks <c>X-Berth-Signature-256</c> with it; it never leaves the server through the API.
/// </summary>
public sealed class WebhookKey
{
    private readonly Lazy<byte[]> _key;

    public WebhookKey(string dataDirectory)
    {
        Path = System.IO.Path.Combine(dataDirectory, "webhook.key");
        _key = new Lazy<byte[]>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the key is kept (what an admin copies into the receiver's configuration).</summary>
    public string Path { get; }

    /// <summary>The signature header's value for <paramref name="body"/>: <c>sha256=</c> and the lower-case hex HMAC.</summary>
    public string Sign(string body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(body)));

    private byte[] Load()
    {
        if (!File.Exists(Path))
        {
            Security.OwnerOnlyFile.WriteText(Path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }

        return Encoding.UTF8.GetBytes(File.ReadAllText(Path).Trim());
    }
}
