using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Strategies;

/// <summary>A real server with the articles app deployed at v1 under a strategy, and the waits strategy tests share.</summary>
internal sealed class StrategyRig : IAsyncDisposable
{
    public const string Service = "web_app";

    private StrategyRig(BerthServerProcess server, StrategyCompose compose)
    {
        Server = server;
        Compose = compose;
    }

    public BerthServerProcess Server { get; }
    public StrategyCompose Compose { get; }

    public static async Task<StrategyRig> DeployV1Async(StrategyCompose compose)
    {
        var server = await BerthServerProcess.StartAsync();
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("1"), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == compose.Replicas, TimeSpan.FromSeconds(40), "v1 healthy");
        return new StrategyRig(server, compose);
    }

    public async Task DeployDetachedAsync(string version, double failRate = 0, int latencyMs = 0)
    {
        var deploy = await Server.CliAsync("deploy", "--detach", "-c", Compose.Write(version, failRate, latencyMs), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
    }

    public async Task<RolloutInfo?> RolloutAsync()
    {
        var response = await Server.Http.GetAsync(ApiRoutes.Rollout(Service));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RolloutInfo>(ApiJson.Options) : null;
    }

    public async Task<RolloutInfo> WaitRolloutAsync(Func<RolloutInfo, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        RolloutInfo? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await RolloutAsync();
            if (last is not null && last.ToRelease > 1 && done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: not reached in {timeout}; last rollout: {last}\n{Server.Output}");
    }

    /// <summary>The version the main front door (or another port) answers with, without a user header.</summary>
    public async Task<string?> VersionAtAsync(int port, string? overrideRelease = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/api/articles"));
        if (overrideRelease is not null)
        {
            request.Headers.Add("X-Berth-Release", overrideRelease);
        }

        using var response = await Server.Http.SendAsync(request);
        return response.Headers.TryGetValues("X-Articles-Version", out var values) ? values.Single() : null;
    }

    public async Task<IReadOnlyList<EventInfo>> EventsAsync(string kind) =>
        (await Server.EventsAsync()).Where(e => e.Kind == kind).ToList();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
