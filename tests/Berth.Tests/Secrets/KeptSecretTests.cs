using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Secrets;

/// <summary>
/// Secrets the server keeps per stack (`berth secret set|ls|rm`), through the real CLI and server on the process
/// runtime: a stack's external secret resolves to the kept content, a new content makes a new release at the next
/// deploy, a rollback gets the old content, each environment's stack has its own, and no output ever shows a content.
/// </summary>
public sealed class KeptSecretTests
{
    /// <summary>A service "job" granted the external secret api_key, whose replicas copy it to OUT/REPLICA.key; plus <paramref name="more"/> (top-level YAML).</summary>
    private static string WriteCompose(TempDirectory dir, string outDir, string more = "") => dir.File("docker-compose.yml", $$"""
        services:
          job:
            deploy:
              replicas: 1
            stop_grace_period: 1s
            secrets: [api_key]
            x-berth:
              process:
                command:
                  - /bin/sh
                  - -c
                  - >-
                    o="{{outDir}}/$${BERTH_REPLICA_ID}";
                    cat "$${BERTH_SECRETS_DIR}/api_key" > "$$o.tmp" && mv "$$o.tmp" "$$o.key"; exec sleep 300
        secrets:
          api_key:
            external: true
        {{more}}
        """);

    [Fact]
    public async Task SetThenDeploy_ReplicaReadsIt_NewContentNewRelease_RollbackOldContent_PerEnvironment_NeverShown()
    {
        using var dir = new TempDirectory();
        var outDir = Directory.CreateDirectory(Path.Combine(dir.Path, "out")).FullName;
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        var prod = "prod-" + Guid.NewGuid().ToString("N");
        var compose = WriteCompose(dir, outDir);
        await using var server = await BerthServerProcess.StartAsync();
        var outputs = new List<CliRun.Result>();
        async Task<CliRun.Result> Cli(string? stdin, params string[] args)
        {
            var result = await CliRun.RunAsync(args, server.HostEnvironment, stdin: stdin);
            outputs.Add(result);
            return result;
        }

        var missing = await Cli(null, "deploy", "-c", compose, "kept");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("the server keeps no secret api_key for stack kept: set it with `berth secret set kept api_key`", missing.Stderr, StringComparison.Ordinal);

        var set = await Cli(first, "secret", "set", "kept", "api_key");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains($"Secret api_key of stack kept kept ({first.Length} bytes)", set.Stdout, StringComparison.Ordinal);
        var deployed = await Cli(null, "deploy", "-c", compose, "kept");
        Assert.True(deployed.ExitCode == 0, deployed + "\nserver:\n" + server.Output);
        Assert.Equal(first, await ReadByReplicaAsync(server, outDir, release: 1));

        Assert.Equal(0, (await Cli(second, "secret", "set", "kept", "api_key")).ExitCode);
        var again = await Cli(null, "deploy", "-c", compose, "kept");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("secrets", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(second, await ReadByReplicaAsync(server, outDir, release: 2));

        // The kept content is forgotten; release 1 keeps its own copy.
        Assert.Equal(0, (await Cli(null, "secret", "rm", "kept", "api_key")).ExitCode);
        Assert.Equal(0, (await Cli(null, "rollback", "kept_job", "--to", "1")).ExitCode);
        Assert.Equal(first, await ReadByReplicaAsync(server, outDir, release: 1, after: 2));
        var gone = await Cli(null, "secret", "rm", "kept", "api_key");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("the server keeps no secret api_key for stack kept", gone.Stderr, StringComparison.Ordinal);

        // Each environment's stack has its own values.
        Assert.Equal(0, (await Cli(prod, "secret", "set", "kept", "api_key", "--env", "prod")).ExitCode);
        var listed = await Cli(null, "secret", "ls", "--json");
        using (var json = JsonDocument.Parse(listed.Stdout))
        {
            var row = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("kept-prod", row.GetProperty("stack").GetString());
            Assert.Equal("api_key", row.GetProperty("name").GetString());
            Assert.Equal(prod.Length, row.GetProperty("size").GetInt32());
            Assert.False(row.TryGetProperty("content", out _));
        }

        Assert.Contains("kept-prod", (await Cli(null, "secret", "ls", "kept", "--env", "prod")).Stdout, StringComparison.Ordinal);
        var empty = await Cli("", "secret", "set", "kept", "other");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("standard input was empty", empty.Stderr, StringComparison.Ordinal);

        var events = await Cli(null, "events", "--since", "1h");
        var audit = await Cli(null, "audit", "--since", "1h", "--json");
        Assert.Contains("secret.set", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("kept/api_key", audit.Stdout, StringComparison.Ordinal);
        var everything = string.Concat(outputs.Select(o => o.Stdout + o.Stderr)) + server.Output;
        foreach (var value in (string[])[first, second, prod])
        {
            Assert.DoesNotContain(value, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StackRelease_EachEnvironmentGetsItsOwnKeptValue()
    {
        using var dir = new TempDirectory();
        var outDir = Directory.CreateDirectory(Path.Combine(dir.Path, "out")).FullName;
        var dev = "dev-" + Guid.NewGuid().ToString("N");
        var prod = "prod-" + Guid.NewGuid().ToString("N");
        var compose = WriteCompose(dir, outDir, """
            x-berth:
              environments:
                - name: dev
                - name: prod
                  entry: manual
            """);
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await CliRun.RunAsync(["secret", "set", "pipe", "api_key", "--env", "dev"], server.HostEnvironment, stdin: dev)).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(["secret", "set", "pipe", "api_key", "--env", "prod"], server.HostEnvironment, stdin: prod)).ExitCode);

        var created = await server.CliAsync("release", "create", "-c", compose, "pipe");
        Assert.True(created.ExitCode == 0, created + "\nserver:\n" + server.Output);
        Assert.Equal(dev, await ReadKeyAsync(outDir, "pipe-dev_job."));
        await WaitAsync(async () => (await server.CliAsync("env", "ls", "pipe", "--json")).Stdout.Contains("\"pendingRelease\": 1", StringComparison.Ordinal), "release 1 waiting before prod");
        var approved = await server.CliAsync("approve", "pipe", "1", "--env", "prod");
        Assert.True(approved.ExitCode == 0, approved.ToString());

        Assert.Equal(prod, await ReadKeyAsync(outDir, "pipe-prod_job."));
        Assert.DoesNotContain(dev, created.Stdout + created.Stderr + approved.Stdout + approved.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The content the first replica whose id starts with <paramref name="prefix"/> wrote (waits up to 60 s).</summary>
    private static async Task<string> ReadKeyAsync(string outDir, string prefix)
    {
        string? file = null;
        await WaitAsync(() => Task.FromResult((file = Directory.GetFiles(outDir, prefix + "*.key").FirstOrDefault()) is not null), $"a replica {prefix}* that read its secret");
        return await File.ReadAllTextAsync(file!);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>What the running replica of <paramref name="release"/> read (a replica started after the <paramref name="after"/>-th one of that release).</summary>
    private static async Task<string> ReadByReplicaAsync(BerthServerProcess server, string outDir, int release, int after = 0)
    {
        var replicas = await server.WaitForReplicasAsync(
            "kept",
            r => r.Any(x => x.Release == release && x.State == "running" && File.Exists(Path.Combine(outDir, x.Id + ".key"))
                && Directory.GetFiles(outDir, "*.key").Length > after),
            TimeSpan.FromSeconds(30),
            $"a replica of release {release} that read its secret");
        var replica = replicas.Last(x => x.Release == release && x.State == "running" && File.Exists(Path.Combine(outDir, x.Id + ".key")));
        return await File.ReadAllTextAsync(Path.Combine(outDir, replica.Id + ".key"));
    }
}
