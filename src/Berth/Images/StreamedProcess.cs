using System.ComponentModel;
using System.Diagnostics;

namespace Berth.Images;

/// <summary>
/// Runs a program for a build step (an artifact command, the base-image script) with its standard output and error
/// streamed, line by line and in order, as one service's progress lines; the program is killed, with its children, when
/// the build is cancelled.
/// </summary>
internal static class StreamedProcess
{
    /// <summary>The program's exit code.</summary>
    /// <exception cref="Win32Exception">The program cannot be started (not found, not executable).</exception>
    public static async Task<int> RunAsync(ProcessStartInfo start, string service, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        process.StandardInput.Close();
        var gate = new Lock();
        async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lock (gate)
                {
                    progress.Report(new BuildProgress(service, BuildProgressKind.Output, line));
                }
            }
        }

        try
        {
            await Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError), process.WaitForExitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
