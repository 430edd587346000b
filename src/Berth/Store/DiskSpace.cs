using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>
/// Tells a full disk apart from other failures: an I/O error with errno ENOSPC or EDQUOT (on Linux .NET keeps the errno
/// as the HResult), or SQLite's SQLITE_FULL, anywhere in the exception's chain.
/// </summary>
public static class DiskSpace
{
    private const int NoSpaceLeft = 28;       // ENOSPC
    private const int QuotaExceeded = 122;    // EDQUOT
    private const int SqliteFull = 13;        // SQLITE_FULL

    public static bool IsFull(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                    return true;
                case IOException io when io.HResult is NoSpaceLeft or QuotaExceeded
                    || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }
}
