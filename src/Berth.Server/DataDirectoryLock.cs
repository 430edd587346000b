namespace Berth.Server;

/// <summary>An exclusive lock file in the data directory, so two servers never drive the same replicas.</summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "server.lock";
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock? TryAcquire(string dataDirectory)
    {
        try
        {
            var stream = new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(Environment.ProcessId);
            return new DataDirectoryLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
