using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Runtimes.Swarm;

/// <summary>Names of the Swarm objects Berth creates: at most 63 characters of [a-zA-Z0-9-_.].</summary>
public static partial class SwarmNames
{
    private const int MaxLength = 63;

    /// <summary><c>{service}-r{release}-s{slot}-{id}</c>, where id is the replica id's random suffix (or a hash of the id).</summary>
    public static string ServiceOf(ReplicaLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var suffix = $"-r{launch.Release}-s{launch.Slot}-{ShortIdOf(launch.ReplicaId)}";
        var prefix = Clean(launch.Service).TrimEnd('-', '.', '_');
        if (prefix.Length + suffix.Length > MaxLength)
        {
            prefix = prefix[..(MaxLength - suffix.Length)].TrimEnd('-', '.', '_');
        }

        return prefix + suffix;
    }

    /// <summary>The overlay network all replicas of a stack join: <c>{stack}_default</c>, as <c>docker stack deploy</c> names it.</summary>
    public static string NetworkOf(string stack) => Clean(stack) + "_default";

    /// <summary><c>{stack}_{secret}_v{first 8 hex of the content's SHA-256}</c>: Swarm secrets are immutable, so a new content is a new name.</summary>
    public static string SecretOf(string stack, string secret, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..8];
        var name = $"{Clean(stack)}_{Clean(secret)}";
        var suffix = "_v" + hash;
        return (name.Length + suffix.Length > MaxLength ? name[..(MaxLength - suffix.Length)] : name) + suffix;
    }

    private static string ShortIdOf(string replicaId)
    {
        var last = replicaId[(replicaId.LastIndexOf('.') + 1)..];
        return ShortId().IsMatch(last)
            ? last
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(replicaId)))[..8];
    }

    private static string Clean(string text) => Disallowed().Replace(text, "-");

    [GeneratedRegex("^[a-z0-9]{4,12}$")]
    private static partial Regex ShortId();

    [GeneratedRegex("[^a-zA-Z0-9_.-]")]
    private static partial Regex Disallowed();
}
