using System.Runtime.CompilerServices;
using System.Text;

namespace Berth.Runtimes.Process;

/// <summary>A replica's log file: reading its tail, following it across rotations, and capping its size.</summary>
internal static class ReplicaLogFile
{
    private const int ChunkSize = 64 * 1024;
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Yields the last <paramref name="tail"/> lines (all when negative), then appended lines while following.</summary>
    public static async IAsyncEnumerable<string> ReadAsync(
        string path, int tail, bool follow, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new LineSplitter();
        long position = 0;
        using (var stream = TryOpen(path))
        {
            if (stream is not null)
            {
                var end = stream.Length;
                var start = tail < 0 ? 0 : await FindTailStartAsync(stream, end, tail, cancellationToken).ConfigureAwait(false);
                await foreach (var line in ReadRangeAsync(stream, start, end, splitter, cancellationToken).ConfigureAwait(false))
                {
                    yield return line;
                }

                position = end;
            }
        }

        if (!follow)
        {
            if (splitter.Flush() is { } last)
            {
                yield return last;
            }

            yield break;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FollowPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            using var stream = TryOpen(path);
            if (stream is null)
            {
                continue;
            }

            var end = stream.Length;
            if (end < position)
            {
                // Rotated (copy-truncate) or replaced: what is there now is new.
                position = 0;
                splitter.Clear();
            }

            if (end > position)
            {
                await foreach (var line in ReadRangeAsync(stream, position, end, splitter, cancellationToken).ConfigureAwait(false))
                {
                    yield return line;
                }

                position = end;
            }
        }
    }

    /// <summary>Suffix of the one rotated file kept beside a replica's log (ID.log.1).</summary>
    public const string RotatedSuffix = ".1";

    /// <summary>The folder of the replica logs under a runtime's directory (the server's data folder).</summary>
    public static string FolderOf(string runtimeDirectory) => Path.Combine(runtimeDirectory, "logs");

    /// <summary>
    /// Copy-truncate: copies the file to <c>.1</c> (replacing the old one) and empties it in place, so a writer with
    /// O_APPEND carries on at the new end. Returns the size that was rotated, or null when under the cap.
    /// </summary>
    public static long? RotateIfLarger(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length <= maxBytes)
        {
            return null;
        }

        File.Copy(path, path + RotatedSuffix, overwrite: true);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.SetLength(0);
        }

        return info.Length;
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Scans backwards from <paramref name="end"/> for the start of the last <paramref name="tail"/> lines.</summary>
    private static async Task<long> FindTailStartAsync(FileStream stream, long end, int tail, CancellationToken cancellationToken)
    {
        if (tail == 0)
        {
            return end;
        }

        var buffer = new byte[ChunkSize];
        var newlines = 0;
        var position = end;
        var skipFinalNewline = true;
        while (position > 0)
        {
            var size = (int)Math.Min(ChunkSize, position);
            position -= size;
            stream.Position = position;
            await stream.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipFinalNewline = false;
                    continue;
                }

                if (skipFinalNewline)
                {
                    // The terminator of the last line does not start a line.
                    skipFinalNewline = false;
                    continue;
                }

                if (++newlines == tail)
                {
                    return position + i + 1;
                }
            }
        }

        return 0;
    }

    private static async IAsyncEnumerable<string> ReadRangeAsync(
        FileStream stream, long start, long end, LineSplitter splitter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        stream.Position = start;
        var remaining = end - start;
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ChunkSize, remaining)), cancellationToken)
                .ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            remaining -= read;
            foreach (var line in splitter.Push(buffer.AsSpan(0, read)))
            {
                yield return line;
            }
        }
    }

    /// <summary>Cuts bytes into UTF-8 lines, keeping an unterminated last line until its newline arrives.</summary>
    private sealed class LineSplitter
    {
        private readonly List<byte> _partial = [];

        public List<string> Push(ReadOnlySpan<byte> bytes)
        {
            var lines = new List<string>();
            while (bytes.Length > 0)
            {
                var newline = bytes.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _partial.AddRange(bytes);
                    break;
                }

                _partial.AddRange(bytes[..newline]);
                lines.Add(Decode());
                bytes = bytes[(newline + 1)..];
            }

            return lines;
        }

        public string? Flush() => _partial.Count > 0 ? Decode() : null;

        public void Clear() => _partial.Clear();

        private string Decode()
        {
            var count = _partial.Count > 0 && _partial[^1] == (byte)'\r' ? _partial.Count - 1 : _partial.Count;
            var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_partial)[..count]);
            _partial.Clear();
            return text;
        }
    }
}
