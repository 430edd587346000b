using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Berth.Releases;

/// <summary>
/// A secret a release grants, by its compose name: either the SHA-256 of its content (the content itself is kept apart,
/// in the store's secrets table) or the name of an external secret the runtime must already have.
/// </summary>
public sealed record ReleaseSecret(string Source, string? ContentHash, string? ExternalName)
{
    [JsonIgnore]
    public bool IsExternal => ContentHash is null;

    /// <summary>Lower-case hex SHA-256 of a secret's content.</summary>
    public static string HashOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
