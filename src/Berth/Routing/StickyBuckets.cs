using System.Text;

namespace Berth.Routing;

/// <summary>Maps a user id to one of 100 buckets with a stable hash (FNV-1a), so a user keeps one release while the weight does not decrease.</summary>
public static class StickyBuckets
{
    public const int Count = 100;

    public static int Of(string userId)
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        var hash = offset;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = userId.Length <= 64 ? buffer[..Encoding.UTF8.GetBytes(userId, buffer)] : Encoding.UTF8.GetBytes(userId);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * prime;
        }

        // A final avalanche so ids differing only in their last characters spread over all buckets.
        hash ^= hash >> 15;
        hash *= 0x2c1b3c6d;
        hash ^= hash >> 12;
        return (int)(hash % Count);
    }
}
