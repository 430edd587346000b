using System.Diagnostics;
using Berth.Tests.Infrastructure;
using Docker.DotNet;

namespace Berth.Tests.Swarm;

/// <summary>
/// The two-node Swarm of scripts/swarm-two-nodes.sh (managers berth-n1, worker berth-n2, each a dockerd in its own
/// network namespace): `up` on open, `down` on dispose, so nothing outlives the test (namespaces, veths, daemons,
/// data folders), even after a failure.
/// </summary>
internal sealed class TwoNodeSwarm : IAsyncDisposable
{
    public const string Manager = "berth-n1";
    public const string Worker = "berth-n2";

    /// <summary>Exit code of the script when this machine does not allow it (not root, no `ip netns`, ...).</summary>
    public const int NotPossibleExitCode = 3;

    private TwoNodeSwarm(Uri dockerHost) => DockerHost = dockerHost;

    /// <summary>The manager's engine (unix:///run/berth-n1/docker.sock), for DOCKER_HOST.</summary>
    public Uri DockerHost { get; }

    public static string Script => Path.Combine(RepoPaths.Root, "scripts", "swarm-two-nodes.sh");

    /// <summary>Runs `swarm-two-nodes.sh up IMAGE...` (each image loaded on both nodes); on failure runs `down` and throws with the script's output.</summary>
    public static async Task<TwoNodeSwarm> UpAsync(params string[] images)
    {
        var up = await RunScriptAsync(TimeSpan.FromMinutes(4), ["up", .. images]);
        var line = up.Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("DOCKER_HOST=", StringComparison.Ordinal));
        if (up.ExitCode != 0 || line is null)
        {
            var down = await RunScriptAsync(TimeSpan.FromMinutes(2), "down");
            throw new InvalidOperationException($"swarm-two-nodes.sh up failed: {up}\nthen down: {down}");
        }

        var swarm = new TwoNodeSwarm(new Uri(line["DOCKER_HOST=".Length..]));

        // `up` keeps a Swarm that is already there: a run killed before its `down` may have left services behind.
        using var docker = swarm.Connect();
        foreach (var service in await docker.Swarm.ListServicesAsync())
        {
            await docker.Swarm.RemoveServiceAsync(service.ID);
        }

        return swarm;
    }

    public DockerClient Connect() => new DockerClientBuilder().WithEndpoint(DockerHost).Build();

    public async ValueTask DisposeAsync()
    {
        var down = await RunScriptAsync(TimeSpan.FromMinutes(2), "down");
        if (down.ExitCode != 0)
        {
            throw new InvalidOperationException($"swarm-two-nodes.sh down failed: {down}");
        }
    }

    public static async Task<CliRun.Result> RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // The host engine is the one the image is saved from, whatever DOCKER_HOST the tests were started with.
        psi.Environment.Remove("DOCKER_HOST");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new CliRun.Result(-1, await stdout, await stderr + $"\nswarm-two-nodes.sh {string.Join(' ', args)}: killed after {timeout}");
        }

        return new CliRun.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The replicas named by X-Berth-Served-By over at most 200 GETs to NODE:PORT, once <paramref name="count"/> were seen.</summary>
    public static async Task<IReadOnlyCollection<string>> ServedByAsync(HttpClient http, string node, int port, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200 && seen.Count < count; i++)
        {
            var answer = await GetAsync(http, node, port);
            Assert.Equal(200, answer.Status);
            seen.Add(answer.ServedBy!.Split("replica=")[1]);
        }

        return seen;
    }

    /// <summary>One GET of NODE:PORT through Berth's router: status, body, the app's version and the replica that answered.</summary>
    public static async Task<FrontDoorAnswer> GetAsync(HttpClient http, string node, int port)
    {
        using var response = await http.GetAsync(new Uri($"http://{node}:{port}/"));
        return new FrontDoorAnswer(
            (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("X-Articles-Version", out var version) ? version.Single() : null,
            response.Headers.TryGetValues("X-Berth-Served-By", out var servedBy) ? servedBy.Single() : null);
    }
}
