using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Berth.Engine.Gates;

/// <summary>The end of a smoke command: passed when it exited 0 within its timeout; the last lines it printed.</summary>
public sealed record SmokeResult(bool Passed, int? ExitCode, string Output, string Summary);

/// <summary>The real <see cref="ISmokeTestRunner"/>: each command runs as a <c>/bin/sh -c</c> process on this machine.</summary>
public sealed class SmokeTestRunner : ISmokeTestRunner, IDisposable
{
    private const int OutputTailChars = 2000;
    private readonly ConcurrentDictionary<long, Task<SmokeResult>> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly Security.HostCommandPolicy? _hostCommands;

    public SmokeTestRunner(Security.HostCommandPolicy? hostCommands = null)
    {
        _hostCommands = hostCommands;
    }

    public void Start(long rolloutId, SmokeCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _running.GetOrAdd(rolloutId, _ =>
            _hostCommands?.Check("the smoke command's shell", Security.HostCommandPolicy.Shell) is { } refused
                ? Task.FromResult(new SmokeResult(false, null, "", refused))
                : Task.Run(() => RunAsync(command.Command, command.WorkingDirectory, command.Environment, command.Timeout, _stopping.Token)));
    }

    public SmokeStatus? StatusOf(long rolloutId) =>
        !_running.TryGetValue(rolloutId, out var task) ? null
        : task.IsCompleted ? new SmokeStatus(task.Result)
        : SmokeStatus.Running;

    public void Forget(long rolloutId) => _running.TryRemove(rolloutId, out _);

    private static async Task<SmokeResult> RunAsync(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken stopping)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command },
            WorkingDirectory = Directory.Exists(workingDirectory) ? workingDirectory : Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (output.Length > OutputTailChars * 2)
                {
                    output.Remove(0, output.Length - OutputTailChars);
                }
            }
        }

        try
        {
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new SmokeResult(false, null, Tail(output), $"smoke command timed out after {DurationText.Format(timeout)}");
            }

            var code = process.ExitCode;
            return new SmokeResult(code == 0, code, Tail(output), code == 0 ? "smoke command passed (exit code 0)" : $"smoke command failed (exit code {code})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new SmokeResult(false, null, "", $"smoke command could not start: {e.Message}");
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString().TrimEnd();
            return text.Length > OutputTailChars ? text[^OutputTailChars..] : text;
        }
    }

    /// <summary>Stops the smoke commands still running. Safe to call twice (the container may hold it under two services).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }
}
