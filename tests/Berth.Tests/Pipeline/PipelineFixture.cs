using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Pipeline;

/// <summary>
/// A stack "shop" of two services, web and api (python's http.server serving a page that names its environment and
/// version), with dev, staging (gates) and prod (manual entry) on ports P+2, P+1 and P (api: +10), and the API calls the
/// pipeline tests make.
/// </summary>
internal sealed class PipelineFixture : IDisposable
{
    public const string Stack = "shop";

    private readonly TempDirectory _dir = new();

    public PipelineFixture(
        string stagingGates = "{healthy_for: 1s, smoke: 'python3 -c \"import os, urllib.request; urllib.request.urlopen(os.environ[\\\"BERTH_URL_WEB\\\"], timeout=5)\"'}",
        string? webhook = null)
    {
        var hook = webhook is null ? "" : $"\n      webhook: {webhook}";
        ProdPort = LoopbackPort.FreeBlock(13); // web P..P+2, api P+10..P+12

        // Traffic for analysis gates (run from the compose file's folder): both services, about 50 requests/s each for 15 s.
        _dir.File("load.py", "import os, time, urllib.request\nend = time.time() + 15\nwhile time.time() < end:\n    for u in ('BERTH_URL_WEB', 'BERTH_URL_API'):\n        urllib.request.urlopen(os.environ[u], timeout=5).read()\n    time.sleep(0.02)\n");
        ComposeFile = _dir.File("compose.yml", $$"""
            services:
              web:
                ports: ["{{ProdPort}}:8000"]
                environment:
                  PAGE_VERSION: ${VERSION:-1}
                deploy:
                  replicas: 1
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: ["sh", "-c", "mkdir -p $$BERTH_REPLICA_ID && cd $$BERTH_REPLICA_ID && printf '%s %s\\n' \"$$BERTH_ENVIRONMENT\" \"$$PAGE_VERSION\" > index.html && exec python3 -m http.server $$PORT --bind 127.0.0.1"]
              api:
                ports: ["{{ProdPort + 10}}:8000"]
                environment:
                  PAGE_VERSION: ${VERSION:-1}
                deploy:
                  replicas: 1
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: ["sh", "-c", "mkdir -p $$BERTH_REPLICA_ID && cd $$BERTH_REPLICA_ID && printf 'api %s %s\\n' \"$$BERTH_ENVIRONMENT\" \"$$PAGE_VERSION\" > index.html && exec python3 -m http.server $$PORT --bind 127.0.0.1"]
            x-berth:
              environments:
                - name: dev
                  port_offset: 2{{hook}}
                - name: staging
                  port_offset: 1
                  gates: {{stagingGates}}{{hook}}
                - name: prod
                  entry: manual{{hook}}
            """);
    }

    public int ProdPort { get; }

    public string ComposeFile { get; }

    public int PortOf(string environment) => environment switch { "dev" => ProdPort + 2, "staging" => ProdPort + 1, _ => ProdPort };

    /// <summary>The request `berth release create` sends: the file loaded once per environment.</summary>
    public async Task<StackReleaseRequest> ReleaseRequestAsync(string version)
    {
        var specs = new Dictionary<string, ComposeSpec>(StringComparer.Ordinal);
        foreach (var environment in new[] { "dev", "staging", "prod" })
        {
            var result = await new ComposeLoader().LoadAsync(
                new ComposeLoadRequest
                {
                    Files = [ComposeFile],
                    Environment = new Dictionary<string, string> { ["VERSION"] = version, ["BERTH_ENVIRONMENT"] = environment },
                    ForDeploy = true,
                },
                CancellationToken.None);
            Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));
            specs[environment] = result.Spec!;
        }

        return new StackReleaseRequest(specs) { Version = $"v{version}" };
    }

    public static async Task<StackReleaseInfo> CreateReleaseAsync(BerthServerProcess server, StackReleaseRequest request)
    {
        var response = await server.Http.PostAsJsonAsync(ApiRoutes.StackReleases(Stack), request, ApiJson.Options);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<StackReleaseInfo>(ApiJson.Options))!;
    }

    public static async Task<IReadOnlyList<EnvironmentInfo>> EnvironmentsAsync(BerthServerProcess server) =>
        (await server.Http.GetFromJsonAsync<List<EnvironmentInfo>>(ApiRoutes.Environments(Stack), ApiJson.Options))!;

    public static async Task<IReadOnlyList<EnvironmentDeploymentInfo>> HistoryAsync(BerthServerProcess server, string? environment = null) =>
        (await server.Http.GetFromJsonAsync<List<EnvironmentDeploymentInfo>>(
            ApiRoutes.History(Stack) + (environment is null ? "" : $"?env={environment}"), ApiJson.Options))!;

    /// <summary>Polls `env ls` until <paramref name="condition"/> holds; fails with the environments and history seen last.</summary>
    public static async Task<IReadOnlyList<EnvironmentInfo>> WaitForAsync(
        BerthServerProcess server, Func<IReadOnlyList<EnvironmentInfo>, bool> condition, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<EnvironmentInfo> last = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await EnvironmentsAsync(server);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        var history = await HistoryAsync(server);
        throw new TimeoutException($"timed out waiting for {what}; environments:\n"
            + string.Join('\n', last.Select(e => $"  {e.Environment}: release={e.Release} state={e.State} pending={e.PendingRelease} reason={e.Reason}"))
            + "\nhistory:\n" + string.Join('\n', history.Select(h => $"  {h.Environment} r{h.Release} {h.Kind} {h.State} {h.Reason}"))
            + $"\nserver:\n{server.Output}");
    }

    public static EnvironmentInfo Env(IReadOnlyList<EnvironmentInfo> all, string name) => all.Single(e => e.Environment == name);

    /// <summary>A client with a token of <paramref name="role"/> made by the admin.</summary>
    public static async Task<HttpClient> ClientWithRoleAsync(BerthServerProcess server, string name, string role)
    {
        var created = await server.Http.PostAsJsonAsync(ApiRoutes.Tokens, new CreateTokenRequest(name, role, null), ApiJson.Options);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var token = (await created.Content.ReadFromJsonAsync<CreatedToken>(ApiJson.Options))!.Token;
        var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The page an environment's web service (or api, its second service) serves, or null when nothing answers there. The services have no healthcheck,
    /// so a replica is in the route once its process runs, maybe before python's server listens: the router answers
    /// 502 for that moment, and the page is asked again (for up to 10 s).
    /// </summary>
    public async Task<string?> PageAsync(string environment, string service = "web")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var port = PortOf(environment) + (service == "api" ? 10 : 0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return (await http.GetStringAsync($"http://127.0.0.1:{port}/")).Trim();
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.BadGateway && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
