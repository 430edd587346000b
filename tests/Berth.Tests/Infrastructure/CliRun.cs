using System.Diagnostics;

namespace Berth.Tests.Infrastructure;

/// <summary>Runs the real `berth` program as a child process and captures its exit code and output.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null, string? stdin = null) =>
        RunProgramAsync([RepoPaths.DotnetHost, RepoPaths.CliDll], args, environment, workingDirectory, timeout, stdin);

    /// <summary>Runs another build of `berth` (<paramref name="program"/>: the executable and its leading arguments), e.g. the AOT binary.</summary>
    public static async Task<Result> RunProgramAsync(
        IReadOnlyList<string> program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(program[0])
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var leading in program.Skip(1))
        {
            psi.ArgumentList.Add(leading);
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var inherited in (string[])["BERTH_HOST", "BERTH_TOKEN", "BERTH_CONTEXT", "BERTH_TLS_CA"])
        {
            psi.Environment.Remove(inherited);
        }

        // Never the developer's own contexts: an empty config folder unless the test gives one.
        psi.Environment["BERTH_CONFIG"] = Path.Combine(Path.GetTempPath(), "berth-test-no-config");
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"berth {string.Join(' ', psi.ArgumentList.Skip(program.Count - 1))} did not finish in time");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
