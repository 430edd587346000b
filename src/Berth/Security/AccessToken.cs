using System.Security.Cryptography;
using System.Text;

namespace Berth.Security;

/// <summary>
/// An API token as users hold it: <c>berth_&lt;id&gt;_&lt;secret&gt;</c>. The id (12 hex digits) finds the token's record;
/// only a SHA-256 hash of the secret (40 letters and digits, ~238 random bits) is stored, so a stolen database holds no usable token.
/// </summary>
public readonly record struct AccessToken(string Id, string Secret)
{
    public const string Prefix = "berth_";
    private const int IdLength = 12;
    private const int SecretLength = 40;
    private const string SecretAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A new token from the system's cryptographic random generator.</summary>
    public static AccessToken Generate() => new(
        RandomNumberGenerator.GetHexString(IdLength, lowercase: true),
        RandomNumberGenerator.GetString(SecretAlphabet, SecretLength));

    /// <summary>Reads a token as presented; <paramref name="problem"/> says what is wrong with its shape (never echoing it).</summary>
    public static bool TryParse(string? text, out AccessToken token, out string problem)
    {
        token = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "the token is empty";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"a Berth token starts with '{Prefix}'";
            return false;
        }

        var rest = text.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != IdLength || !IsHex(rest[..separator]))
        {
            problem = $"a Berth token is '{Prefix}' + {IdLength} hex digits + '_' + {SecretLength} letters and digits";
            return false;
        }

        var secret = rest[(separator + 1)..];
        if (secret.Length != SecretLength || !IsAlphanumeric(secret))
        {
            problem = $"a Berth token is '{Prefix}' + {IdLength} hex digits + '_' + {SecretLength} letters and digits";
            return false;
        }

        token = new AccessToken(rest[..separator].ToString(), secret.ToString());
        problem = string.Empty;
        return true;
    }

    /// <summary>SHA-256 of the secret: what the store keeps. A plain hash suffices: the secret is random, not a password.</summary>
    public byte[] SecretHash() => HashSecret(Secret);

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="storedHash"/> is this token's secret hash, in time independent of where they differ.</summary>
    public bool Matches(byte[] storedHash) => CryptographicOperations.FixedTimeEquals(SecretHash(), storedHash);

    /// <summary>The whole token, as shown once at creation.</summary>
    public override string ToString() => $"{Prefix}{Id}_{Secret}";

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphanumeric(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
