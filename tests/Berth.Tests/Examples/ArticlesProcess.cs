using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Examples;

/// <summary>
/// Runs the real examples/articles app (<c>dotnet Articles.dll</c>) as a child process on
/// a free loopback port, the way Berth's process runtime does. Kills it on dispose.
/// </summary>
internal sealed class ArticlesProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ArticlesProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public Process Process => _process;

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts the app with PORT set to a free port plus the given environment.</summary>
    public static ArticlesProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = LocateArticlesDll();
        var port = FreePort();
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);

        // Only our knobs: nothing inherited from the test runner's environment.
        foreach (var name in new[]
                 {
                     "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "BERTH_REPLICA_ID",
                     "ARTICLES_VERSION", "ARTICLES_FAIL_RATE", "ARTICLES_LATENCY_MS", "ARTICLES_CRASH_ON_START",
                     "ARTICLES_DB", "PORT",
                 })
        {
            psi.Environment.Remove(name);
        }

        psi.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new ArticlesProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (result._stdout) { result._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (result._stderr) { result._stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Polls /healthz until 200, failing fast if the process exits.</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        using var probe = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"articles exited with code {_process.ExitCode} before becoming healthy.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"articles not healthy on port {Port}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>
    /// <c>&lt;repo&gt;/artifacts/bin/Articles/&lt;config&gt;/Articles.dll</c>: the repo root is the
    /// folder holding Berth.slnx above this test assembly; the configuration folder matches
    /// the test assembly's own (debug/release).
    /// </summary>
    public static string LocateArticlesDll()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var config = baseDir.Name;
        var dir = baseDir;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"Berth.slnx not found above {AppContext.BaseDirectory}");
        }

        var candidates = new[] { config, "debug", "release" }
            .Select(c => Path.Combine(dir.FullName, "artifacts", "bin", "Articles", c, "Articles.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"Articles.dll not found under {Path.Combine(dir.FullName, "artifacts", "bin", "Articles")}; run `dotnet build examples/articles/src/Articles`.");
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
