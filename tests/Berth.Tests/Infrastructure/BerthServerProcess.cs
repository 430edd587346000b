using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Berth.Api;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A real `berth server` child process on a free loopback port with its own data folder. Can be killed hard
/// (kill -9) and started again on the same data. On dispose it removes every stack, stops the server and kills
/// any replica process group that is still alive, so no test leaves processes behind.
/// </summary>
internal sealed class BerthServerProcess : IAsyncDisposable
{
    private readonly HashSet<int> _seenPids = [];
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly string[] _serverArguments;
    private readonly IReadOnlyDictionary<string, string> _serverEnvironment;

    private BerthServerProcess(TempDirectory data, string[] serverArguments, IReadOnlyDictionary<string, string> serverEnvironment)
    {
        Data = data;
        _serverArguments = serverArguments;
        _serverEnvironment = serverEnvironment;
    }

    public TempDirectory Data { get; }

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    /// <summary>An HTTP client for the API, authenticated with the server's local admin token.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The server's local admin token (from its data folder's local-admin.token).</summary>
    public string AdminToken { get; private set; } = string.Empty;

    /// <summary>The server's data folder (berth.db, local-admin.token, logs).</summary>
    public string DataDirectory => Path.Combine(Data.Path, "data");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<BerthServerProcess> StartAsync() => StartAsync([]);

    /// <summary>Starts a server with extra `berth server` options, e.g. ["--runtime", "swarm"] (kept for restarts).</summary>
    public static Task<BerthServerProcess> StartAsync(params string[] serverArguments) =>
        StartAsync(new Dictionary<string, string>(), serverArguments);

    /// <summary>Same, with extra environment variables for the server process, e.g. DOCKER_HOST (kept for restarts).</summary>
    public static async Task<BerthServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] serverArguments)
    {
        var server = new BerthServerProcess(new TempDirectory("berth-server"), serverArguments, environment);
        await server.StartProcessAsync([]);
        return server;
    }

    /// <summary>Starts a server once <paramref name="prepareDataDirectory"/> has made its data folder ready (e.g. a small disk mounted on it).</summary>
    public static async Task<BerthServerProcess> StartOnAsync(Func<string, Task> prepareDataDirectory)
    {
        ArgumentNullException.ThrowIfNull(prepareDataDirectory);
        var server = new BerthServerProcess(new TempDirectory("berth-server"), [], new Dictionary<string, string>());
        await prepareDataDirectory(Directory.CreateDirectory(server.DataDirectory).FullName);
        await server.StartProcessAsync([]);
        return server;
    }

    public IReadOnlyDictionary<string, string> HostEnvironment => new Dictionary<string, string> { ["BERTH_HOST"] = Address.ToString().TrimEnd('/') };

    /// <summary>Runs the CLI against this server.</summary>
    public Task<CliRun.Result> CliAsync(params string[] args) => CliRun.RunAsync(args, HostEnvironment);

    public Task<CliRun.Result> CliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var merged = new Dictionary<string, string>(environment);
        foreach (var (key, value) in HostEnvironment)
        {
            merged[key] = value;
        }

        return CliRun.RunAsync(args, merged);
    }

    public async Task<IReadOnlyList<ReplicaInfo>> ReplicasAsync(string stack, bool all = false)
    {
        var replicas = await Http.GetFromJsonAsync<List<ReplicaInfo>>($"{ApiRoutes.Replicas}?stack={stack}&all={all}", ApiJson.Options) ?? [];
        lock (_seenPids)
        {
            foreach (var pid in replicas.Select(r => r.Pid).OfType<int>())
            {
                _seenPids.Add(pid);
            }
        }

        return replicas;
    }

    public async Task<ServiceInfo> ServiceAsync(string name) =>
        (await Http.GetFromJsonAsync<ServiceInfo>(ApiRoutes.Service(name), ApiJson.Options))!;

    public async Task<IReadOnlyList<EventInfo>> EventsAsync()
    {
        var text = await Http.GetStringAsync(ApiRoutes.Events);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<EventInfo>(line, ApiJson.Options)!)
            .ToList();
    }

    /// <summary>The events about stacks, services and replicas: those of the server's own router (router.*) left out.</summary>
    public async Task<IReadOnlyList<EventInfo>> AppEventsAsync() =>
        (await EventsAsync()).Where(e => !e.Kind.StartsWith("router.", StringComparison.Ordinal)).ToList();

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the last replicas seen.</summary>
    public async Task<IReadOnlyList<ReplicaInfo>> WaitForReplicasAsync(string stack, Func<IReadOnlyList<ReplicaInfo>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<ReplicaInfo> last = [];
        while (deadline.Elapsed < timeout)
        {
            last = await ReplicasAsync(stack);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out after {timeout} waiting for {what}; replicas:\n" +
            string.Join('\n', last.Select(r => $"  {r.Id} slot={r.Slot} rel={r.Release} state={r.State} health={r.Health} pid={r.Pid} msg={r.Message}")) +
            $"\nserver output:\n{Output}");
    }

    /// <summary>kill -9 of the server process: replicas keep running, nothing is cleaned up.</summary>
    public async Task KillHardAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM (what Ctrl-C or a service manager sends), then waits at most 30 s for the server to exit.</summary>
    public async Task TerminateAsync()
    {
        if (_process is { HasExited: false })
        {
            Signal(_process.Id, "TERM");
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(wait.Token);
        }
    }

    /// <summary>Starts a new server process on the same data folder.</summary>
    public Task RestartAsync() => StartProcessAsync([]);

    /// <summary>Starts a new server process on the same data folder, with these options too for this start only (e.g. --restore FILE).</summary>
    public Task RestartAsync(params string[] extraArguments) => StartProcessAsync(extraArguments);

    private async Task StartProcessAsync(IReadOnlyList<string> extraArguments)
    {
        var psi = new ProcessStartInfo(RepoPaths.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Data.Path,
        };
        foreach (var (name, value) in _serverEnvironment)
        {
            psi.Environment[name] = value;
        }

        string[] listen = _serverArguments.Contains("--listen") ? [] : ["--listen", "127.0.0.1:0"];
        foreach (var arg in (string[])[RepoPaths.CliDll, "server", "--data", Path.Combine(Data.Path, "data"), .. listen, .. _serverArguments, .. extraArguments])
        {
            psi.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = psi };
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => OnLine(e.Data, address);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(address.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != address.Task)
        {
            throw new InvalidOperationException($"berth server did not start:\n{Output}");
        }

        Address = await address.Task;
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(Data.Path, "data", "local-admin.token"))).Trim();
        Http.Dispose();
        // A TLS server in a test has a test CA's certificate: this helper client checks nothing (the TLS tests do).
        var handler = new HttpClientHandler();
        if (Address.Scheme == Uri.UriSchemeHttps)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        Http = new HttpClient(handler, disposeHandler: true) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    private void OnLine(string? line, TaskCompletionSource<Uri>? address)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string marker = "listening on ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (address is not null && at >= 0)
        {
            var rest = line[(at + marker.Length)..];
            address.TrySetResult(new Uri(rest.Split(' ')[0]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                foreach (var stack in await Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? [])
                {
                    await ReplicasAsync(stack.Name, all: true);
                    await Http.DeleteAsync(ApiRoutes.Stack(stack.Name));
                }

                var deadline = Stopwatch.StartNew();
                while (deadline.Elapsed < TimeSpan.FromSeconds(20)
                       && (await Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? []).Count > 0)
                {
                    await Task.Delay(100);
                }

                Signal(_process.Id, "TERM");
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception) when (_process is not null)
        {
            // Cleanup must go on: kill what is left below.
        }
        finally
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }

            lock (_seenPids)
            {
                foreach (var pid in _seenPids)
                {
                    Signal(-pid, "KILL");
                }
            }

            // The server's router outlives the server on purpose (it keeps serving); a test's does not.
            StopRouter();

            Http.Dispose();
            _process?.Dispose();
            Data.Dispose();
        }
    }

    /// <summary>The server's pid (`berth server` runs the server in the process it started as).</summary>
    public int ServerPid => _process?.Id ?? throw new InvalidOperationException("the server is not started");

    /// <summary>The pid of the router process the server started (from DATA/routers/local/router.pid), or null.</summary>
    public int? RouterPid
    {
        get
        {
            var file = Path.Combine(DataDirectory, "routers", "local", "router.pid");
            return File.Exists(file) && int.TryParse(File.ReadAllText(file).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
    }

    private void StopRouter()
    {
        if (RouterPid is { } pid)
        {
            Signal(-pid, "KILL");
            Signal(pid, "KILL");
        }
    }

    /// <summary>Sends a signal with kill(1); a negative pid addresses a process group.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, "--", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RedirectStandardError = true, UseShellExecute = false });
        kill?.WaitForExit();
    }
}
