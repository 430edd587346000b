using System.ComponentModel;
using System.Globalization;
using System.Text;

namespace Berth.Runtimes.Process;

/// <summary>Runs one health probe against a replica: an HTTP GET on its port, or a command with its environment.</summary>
internal sealed class ReplicaHealthProber(string bindAddress, TimeProvider time) : IDisposable
{
    // No proxy (HTTP_PROXY must not capture loopback probes) and no redirects (3xx itself counts as healthy).
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<ProbeResult> ProbeAsync(ProcessReplica replica, HealthProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(probe.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return probe.HttpPath is { } path
                ? await HttpAsync(replica.Current.Port, path, linked.Token).ConfigureAwait(false)
                : await CommandAsync(replica, probe.Command!, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed($"health check timed out after {probe.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }
    }

    private async Task<ProbeResult> HttpAsync(int? port, string path, CancellationToken cancellationToken)
    {
        if (port is null)
        {
            return ProbeResult.Failed("no port known for this replica");
        }

        var host = bindAddress.Contains(':', StringComparison.Ordinal) ? $"[{bindAddress}]" : bindAddress;
        var uri = new Uri($"http://{host}:{port}{(path.StartsWith('/') ? path : "/" + path)}");
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400
                ? ProbeResult.Passed
                : ProbeResult.Failed($"GET {path}: HTTP {status} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Failed($"GET {path}: {ex.Message}");
        }
    }

    private static async Task<ProbeResult> CommandAsync(
        ProcessReplica replica, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            return ProbeResult.Failed("health check command is empty");
        }

        var start = new System.Diagnostics.ProcessStartInfo(replica.Variables.Substitute(command[0]))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = replica.Launch.WorkingDir ?? string.Empty,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(replica.Variables.Substitute(argument));
        }

        foreach (var (key, value) in replica.Environment)
        {
            start.Environment[key] = value;
        }

        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return ProbeResult.Failed($"command not found: {command[0]}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var output = new StringBuilder().Append(await stdout.ConfigureAwait(false))
                    .Append(await stderr.ConfigureAwait(false)).ToString();
                return process.ExitCode == 0
                    ? ProbeResult.Passed
                    : ProbeResult.Failed(output.Trim().Length > 0 ? output : $"health check exited with code {process.ExitCode}");
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Exited meanwhile.
                }

                throw;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
