namespace Berth.Artifacts;

/// <summary>Tells a full disk apart from other I/O errors (on Linux .NET keeps the errno as the HResult).</summary>
public static class DiskSpace
{
    private const int NoSpaceLeft = 28;       // ENOSPC
    private const int QuotaExceeded = 122;    // EDQUOT

    public static bool IsFull(IOException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.HResult is NoSpaceLeft or QuotaExceeded
            || error.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || (error.InnerException is IOException inner && IsFull(inner));
    }
}
