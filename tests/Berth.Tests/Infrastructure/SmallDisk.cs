using System.Diagnostics;

namespace Berth.Tests.Infrastructure;

/// <summary>A tiny tmpfs mounted over a folder (root only), to make "no space left on device" happen for real.</summary>
internal sealed class SmallDisk : IAsyncDisposable
{
    private readonly string _folder;

    private SmallDisk(string folder) => _folder = folder;

    public static async Task<SmallDisk> MountAsync(string folder, string size)
    {
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
        return new SmallDisk(folder);
    }

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", _folder);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
