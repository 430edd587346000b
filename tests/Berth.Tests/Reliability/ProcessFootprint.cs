using System.Globalization;

namespace Berth.Tests.Reliability;

/// <summary>A process's resident memory and open file descriptors, read from /proc (Linux).</summary>
internal sealed record ProcessFootprint(double RssMegabytes, int OpenFiles)
{
    public static ProcessFootprint Of(int pid)
    {
        var rssKilobytes = File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .Single();
        return new ProcessFootprint(Math.Round(rssKilobytes / 1024.0, 1), Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
    }
}
