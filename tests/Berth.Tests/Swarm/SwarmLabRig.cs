using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// A `berth server --runtime swarm` with a stack of its own (random name, cleaned up by its berth.stack label on
/// dispose, even after a failure), the lab's compose file, and the waits and front-door reads the lab tests share.
/// </summary>
internal sealed class SwarmLabRig : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output;
    private readonly SwarmStackCleanup _cleanup;
    private readonly TempDirectory _dir = new("berth-swarm-lab");

    private SwarmLabRig(ITestOutputHelper output, string stack, BerthServerProcess server, string? strategy)
    {
        _output = output;
        Stack = stack;
        _cleanup = new SwarmStackCleanup(stack);
        Server = server;
        Compose = new SwarmLabCompose(_dir, LoopbackPort.Free(), strategy);
    }

    public string Stack { get; }

    public string Service => Stack + "_app";

    public BerthServerProcess Server { get; }

    public SwarmLabCompose Compose { get; }

    public int Port => Compose.Port;

    public static async Task<SwarmLabRig> StartAsync(ITestOutputHelper output, string stackPrefix, string? strategy = null, params string[] serverArguments)
    {
        var stack = stackPrefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var server = await BerthServerProcess.StartAsync(["--runtime", "swarm", .. serverArguments]);
        return new SwarmLabRig(output, stack, server, strategy);
    }

    /// <summary>Timings in the test output (dotnet test --logger "console;verbosity=detailed").</summary>
    public void Step(string what) => _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1}s {what}");

    /// <summary>`berth deploy` of version <paramref name="version"/>; waits for the rollout unless <paramref name="detach"/>.</summary>
    public async Task<CliRun.Result> DeployAsync(string version, int replicas = 2, double failRate = 0, bool detach = false)
    {
        var path = Compose.Write(version, replicas, failRate);
        return detach
            ? await Server.CliAsync("deploy", "--detach", "-c", path, Stack)
            : await Server.CliAsync("deploy", "-c", path, Stack);
    }

    public Task<IReadOnlyList<ReplicaInfo>> WaitHealthyAsync(int count, int? release = null, TimeSpan? timeout = null) =>
        Server.WaitForReplicasAsync(
            Stack,
            r => r.Count(x => x.State == "running" && x.Health == "healthy" && (release is null || x.Release == release)) == count
                 && r.Count(x => x.DesiredState == "running") == count,
            timeout ?? TimeSpan.FromSeconds(60),
            $"{count} healthy replicas{(release is null ? "" : $" of release {release}")}");

    public async Task<RolloutInfo?> RolloutAsync()
    {
        using var response = await Server.Http.GetAsync(ApiRoutes.Rollout(Service));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RolloutInfo>(ApiJson.Options) : null;
    }

    public async Task<RolloutInfo> WaitRolloutAsync(int toRelease, Func<RolloutInfo, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        RolloutInfo? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await RolloutAsync();
            if (last is not null && last.ToRelease == toRelease && done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: not reached in {timeout}; last rollout: {last}\nreplicas:\n" +
            string.Join('\n', (await Server.ReplicasAsync(Stack)).Select(r => $"  {r.Id} rel={r.Release} {r.State}/{r.Health} {r.Message}")) +
            $"\nserver output:\n{Tail(Server.Output, 60)}");
    }

    public async Task<IReadOnlyList<EventInfo>> EventsAsync(string kind) =>
        (await Server.EventsAsync()).Where(e => e.Kind == kind && e.Stack == Stack).ToList();

    /// <summary>A GET of the front door: status, body, X-Articles-Version and X-Berth-Served-By.</summary>
    public async Task<FrontDoorAnswer> GetAsync(string path = "/", string? release = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{Port}{path}"));
        if (release is not null)
        {
            request.Headers.Add("X-Berth-Release", release);
        }

        using var response = await Server.Http.SendAsync(request);
        return new FrontDoorAnswer(
            (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("X-Articles-Version", out var version) ? version.Single() : null,
            response.Headers.TryGetValues("X-Berth-Served-By", out var servedBy) ? servedBy.Single() : null);
    }

    /// <summary>Polls the front door until <paramref name="condition"/> holds for an answer.</summary>
    public async Task<FrontDoorAnswer> WaitFrontDoorAsync(Func<FrontDoorAnswer, bool> condition, TimeSpan timeout, string what, string path = "/")
    {
        var clock = Stopwatch.StartNew();
        FrontDoorAnswer? last = null;
        string? error = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await GetAsync(path);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: not reached in {timeout}; last answer: {last} {error}");
    }

    public static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Server.DisposeAsync();
        }
        finally
        {
            await _cleanup.DisposeAsync();
            _dir.Dispose();
        }
    }
}

/// <summary>What the front door answered.</summary>
internal sealed record FrontDoorAnswer(int Status, string Body, string? Version, string? ServedBy);
