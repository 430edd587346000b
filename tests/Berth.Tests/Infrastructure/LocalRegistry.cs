using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A throw-away image registry for tests: Debian's <c>docker-registry serve CONFIG</c> on 127.0.0.1 and a free port,
/// storage in a temp folder, optionally with htpasswd auth (a bcrypt line from <c>htpasswd -Bbn</c>, package
/// apache2-utils). Docker allows plain http to 127.0.0.0/8, so no TLS. Stopped and deleted on dispose.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder;
    private readonly HttpClient _http;

    private LocalRegistry(Process process, TempDirectory folder, string address, string? user, string? password)
    {
        _process = process;
        _folder = folder;
        Address = address;
        _http = new HttpClient { BaseAddress = new Uri($"http://{address}/"), Timeout = TimeSpan.FromSeconds(10) };
        if (user is not null)
        {
            _http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <summary>HOST:PORT, the prefix of image names pushed here.</summary>
    public string Address { get; }

    /// <summary>Null when docker-registry (and htpasswd, for auth) are installed; else what is missing.</summary>
    public static string? Problem(bool withAuth = false)
    {
        if (!File.Exists("/usr/bin/docker-registry"))
        {
            return "docker-registry is not installed (apt-get install docker-registry)";
        }

        return withAuth && !File.Exists("/usr/bin/htpasswd") ? "htpasswd is not installed (apt-get install apache2-utils)" : null;
    }

    /// <summary>Starts a registry (with basic auth for <paramref name="user"/> when given) and waits until /v2/ answers.</summary>
    public static async Task<LocalRegistry> StartAsync(string? user = null, string? password = null)
    {
        if (Problem(user is not null) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var folder = new TempDirectory("berth-registry");
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:\n  level: warn")
            .AppendLine($"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(folder.Path, "data")}")
            .AppendLine($"http:\n  addr: {address}");
        if (user is not null)
        {
            var line = await RunAsync("/usr/bin/htpasswd", "-Bbn", user, password ?? "");
            var htpasswd = folder.File("htpasswd", line.Trim() + "\n");
            config.AppendLine($"auth:\n  htpasswd:\n    realm: berth-test\n    path: {htpasswd}");
        }

        var configFile = folder.File("config.yml", config.ToString());
        var psi = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(configFile);
        var process = Process.Start(psi)!;
        var log = OutputLog.Capture(process);

        var registry = new LocalRegistry(process, folder, address, user, password);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri($"http://{address}/v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return registry;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or slower than the probe's 1 s on a busy machine: ask again (the process is stopped below if it never answers).
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        await registry.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not answer at {address}:\n{log}");
    }

    /// <summary>The tags of REPOSITORY (GET /v2/REPOSITORY/tags/list), empty when it does not exist.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var response = await _http.GetAsync(new Uri($"v2/{repository}/tags/list", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} failed: {error}");
    }
}
