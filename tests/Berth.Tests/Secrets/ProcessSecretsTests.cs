using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Secrets;

/// <summary>
/// Secrets on the process runtime, through the real CLI and server: the CLI reads them, the release carries their
/// hash, the store keeps their content, and each replica reads them from files in $BERTH_SECRETS_DIR.
/// </summary>
public sealed class ProcessSecretsTests
{
    private const string Stack = "sec";
    private const string Service = "sec_job";

    /// <summary>
    /// A shell replica that copies what it finds in $BERTH_SECRETS_DIR to {out}/{replica id}.* and sleeps. `$$` keeps
    /// the variables from compose interpolation; Berth substitutes its own variables in the arguments.
    /// </summary>
    private static string WriteCompose(TempDirectory dir, string outDir, string tokenFile = "./token.txt", string extraSecret = "") =>
        dir.File("docker-compose.yml", $$"""
            services:
              job:
                deploy:
                  replicas: 1
                  restart_policy:
                    condition: any
                    delay: 500ms
                stop_grace_period: 2s
                secrets:
                  - token
                  - source: api_key
                    target: api.key
                    mode: 0440
                x-berth:
                  process:
                    command:
                      - /bin/sh
                      - -c
                      - >-
                        d="$${BERTH_SECRETS_DIR}"; o="{{outDir}}/$${BERTH_REPLICA_ID}";
                        cat "$$d/token" > "$$o.token.tmp" && cat "$$d/api.key" > "$$o.key.tmp" && echo "$$d" > "$$o.dir.tmp" &&
                        mv "$$o.key.tmp" "$$o.key" && mv "$$o.dir.tmp" "$$o.dir" && mv "$$o.token.tmp" "$$o.token";
                        exec sleep 300
            secrets:
              token:
                file: {{tokenFile}}
              api_key:
                environment: API_KEY
              {{extraSecret}}
            """);

    private static Dictionary<string, string> Env(string apiKey) => new() { ["API_KEY"] = apiKey };

    /// <summary>Waits until the running replica of <paramref name="release"/> has written what it read; returns (replica, token, key, dir).</summary>
    private static async Task<(ReplicaInfo Replica, string Token, string Key, string Dir)> ReadByReplicaAsync(BerthServerProcess server, string outDir, int release)
    {
        var replicas = await server.WaitForReplicasAsync(
            Stack,
            r => r.Any(x => x.Release == release && x.State == "running" && File.Exists(Path.Combine(outDir, x.Id + ".token"))),
            TimeSpan.FromSeconds(30),
            $"a replica of release {release} that read its secrets");
        var replica = replicas.First(x => x.Release == release && x.State == "running" && File.Exists(Path.Combine(outDir, x.Id + ".token")));
        var o = Path.Combine(outDir, replica.Id);
        return (replica, await File.ReadAllTextAsync(o + ".token"), await File.ReadAllTextAsync(o + ".key"), (await File.ReadAllTextAsync(o + ".dir")).Trim());
    }

    [Fact]
    public async Task Deploy_FileAndEnvironmentSecrets_ReplicaReadsThem_ChangedFileMakesNewRelease_RollbackGetsOldContent_NothingShowsThem()
    {
        using var dir = new TempDirectory();
        var outDir = Directory.CreateDirectory(Path.Combine(dir.Path, "out")).FullName;
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        var apiKey = "key-" + Guid.NewGuid().ToString("N");
        var tokenFile = dir.File("token.txt", first);
        var compose = WriteCompose(dir, outDir);
        await using var server = await BerthServerProcess.StartAsync();

        var deploy = await server.CliAsync(Env(apiKey), "deploy", "-c", compose, Stack);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var (one, token, key, secretsDir) = await ReadByReplicaAsync(server, outDir, 1);
        Assert.Equal(first, token);
        Assert.Equal(apiKey, key);
        Assert.Equal(Path.Combine(server.Data.Path, "data", "secrets", one.Id), secretsDir);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(secretsDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(Path.GetDirectoryName(secretsDir)!));
        Assert.Equal(UnixFileMode.UserRead, ModeOf(Path.Combine(secretsDir, "token")));
        Assert.Equal(UnixFileMode.UserRead, ModeOf(Path.Combine(secretsDir, "api.key")));

        // The same contents: the same release.
        var again = await server.CliAsync(Env(apiKey), "deploy", "-c", compose, Stack);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"{Service} unchanged", again.Stdout, StringComparison.Ordinal);

        // A changed file: a new release, whose replica reads the new content; the old replica's files go with it.
        await File.WriteAllTextAsync(tokenFile, second);
        var update = await server.CliAsync(Env(apiKey), "deploy", "-c", compose, Stack);
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains($"Updating service {Service} (release 2): secrets.token: changed", update.Stdout, StringComparison.Ordinal);
        var (two, token2, _, secretsDir2) = await ReadByReplicaAsync(server, outDir, 2);
        Assert.Equal(second, token2);
        Assert.NotEqual(secretsDir, secretsDir2);
        await WaitUntilAsync(() => !Directory.Exists(secretsDir), "the stopped replica's secrets directory removed");

        // Rollback to release 1: its content was kept with it.
        var rollback = await server.CliAsync("rollback", Service);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        var (back, token1, _, _) = await ReadByReplicaAsync(server, outDir, 1);
        Assert.NotEqual(one.Id, back.Id);
        Assert.Equal(first, token1);

        // Nothing Berth shows or logs holds a content (or its hash).
        var hashes = new[] { first, second }.Select(s => Berth.Releases.ReleaseSecret.HashOf(System.Text.Encoding.UTF8.GetBytes(s))).ToList();
        var shown = new List<string>
        {
            (await server.CliAsync("service", "inspect", Service, "--json")).Stdout,
            (await server.CliAsync("service", "inspect", Service)).Stdout,
            (await server.CliAsync("releases", Service, "--json")).Stdout,
            (await server.CliAsync("events")).Stdout,
            await server.Http.GetStringAsync(ApiRoutes.Service(Service)),
            await server.Http.GetStringAsync(ApiRoutes.Events),
            deploy.ToString(), update.ToString(),
            server.Output,
        };
        foreach (var text in shown)
        {
            Assert.DoesNotContain(first, text, StringComparison.Ordinal);
            Assert.DoesNotContain(second, text, StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, text, StringComparison.Ordinal);
            Assert.All(hashes, h => Assert.DoesNotContain(h, text, StringComparison.Ordinal));
        }

        Assert.Contains("token", shown[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRestart_ReplacementOfKilledReplica_StillGetsSecretFromStore()
    {
        using var dir = new TempDirectory();
        var outDir = Directory.CreateDirectory(Path.Combine(dir.Path, "out")).FullName;
        var content = "kept-" + Guid.NewGuid().ToString("N");
        dir.File("token.txt", content);
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync(Env("k"), "deploy", "-c", WriteCompose(dir, outDir), Stack)).ExitCode);
        var (before, _, _, secretsDir) = await ReadByReplicaAsync(server, outDir, 1);

        await server.KillHardAsync();
        await server.RestartAsync();
        await server.WaitForReplicasAsync(Stack, r => r.Any(x => x.Id == before.Id && x.State == "running"), TimeSpan.FromSeconds(30), "the replica adopted");
        BerthServerProcess.Signal(before.Pid!.Value, "KILL");

        var replicas = await server.WaitForReplicasAsync(
            Stack,
            r => r.Any(x => x.Id != before.Id && x.State == "running" && File.Exists(Path.Combine(outDir, x.Id + ".token"))),
            TimeSpan.FromSeconds(30),
            "the killed replica replaced");
        var after = replicas.First(x => x.Id != before.Id && x.State == "running");
        Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(outDir, after.Id + ".token")));
        await WaitUntilAsync(() => !Directory.Exists(secretsDir), "the killed replica's secrets directory removed");
    }

    [Fact]
    public async Task Deploy_MissingSecretFile_BadInputNamingFileKeyAndPath_NothingWritten()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var compose = WriteCompose(dir, dir.Path, tokenFile: "./missing.txt");

        var deploy = await server.CliAsync(Env("k"), "deploy", "-c", compose, Stack);

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains("docker-compose.yml:", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("secrets.token.file", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "missing.txt"), deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", deploy.Stderr, StringComparison.Ordinal);
        Assert.Empty(await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? []);
    }

    [Fact]
    public async Task Deploy_MissingVariable_BadInputNamingIt()
    {
        using var dir = new TempDirectory();
        dir.File("token.txt", "t");
        await using var server = await BerthServerProcess.StartAsync();

        var deploy = await server.CliAsync(new Dictionary<string, string>(), "deploy", "-c", WriteCompose(dir, dir.Path), Stack);

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains("secrets.api_key.environment", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("API_KEY is not set", deploy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_ExternalSecretTheServerDoesNotKeep_RefusedSayingHowToSetIt_NothingWritten()
    {
        using var dir = new TempDirectory();
        dir.File("token.txt", "t");
        var compose = dir.File("docker-compose.yml", """
            services:
              job:
                secrets: [outside]
                x-berth:
                  process:
                    command: ["sleep", "300"]
            secrets:
              outside:
                external: true
            """);
        await using var server = await BerthServerProcess.StartAsync();

        var deploy = await server.CliAsync("deploy", "-c", compose, Stack);

        Assert.True(deploy.ExitCode != 0, deploy.ToString());
        Assert.Contains("service sec_job: secret outside: external: the server keeps no secret outside for stack sec", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("berth secret set sec outside", deploy.Stderr, StringComparison.Ordinal);
        Assert.Empty(await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? []);
    }

    [Fact]
    public async Task DeployApi_SecretWithoutContent_RefusedSayingTheCliSendsIt_NothingWritten()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var spec = new Berth.Spec.ComposeSpec
        {
            Services = new Dictionary<string, Berth.Spec.ServiceSpec>
            {
                ["job"] = new()
                {
                    Name = "job",
                    Secrets = [new Berth.Spec.ServiceSecretSpec { Source = "token" }],
                    Berth = new Berth.Spec.BerthServiceSpec { Process = new Berth.Spec.ProcessSpec { Command = ["sleep", "300"] } },
                },
            },
            Secrets = new Dictionary<string, Berth.Spec.SecretSpec> { ["token"] = new() { Name = "token", File = "/nowhere/token.txt" } },
        };

        using var response = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy(Stack), new DeployRequest(spec), ApiJson.Options);

        Assert.Equal(400, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("service sec_job: secret token: no content was sent for it (file /nowhere/token.txt)", body, StringComparison.Ordinal);
        Assert.Empty(await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? []);
    }

    private static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"{what}: not reached in 20s");
            }

            await Task.Delay(100);
        }
    }
}
