using System.Diagnostics;
using System.Text;
using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Berth.Tests.Swarm;
using Docker.DotNet.Models;

namespace Berth.Tests.Secrets;

/// <summary>
/// Secrets on the swarm runtime, end to end on the real Swarm: the release's contents become versioned Swarm secrets
/// (<c>{stack}_{secret}_v{hash}</c>) mounted at /run/secrets, a changed file makes a new release and a new secret,
/// removing the stack removes its secrets, and an external secret is the one the server keeps (`berth secret set`) or
/// else an existing Swarm secret.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmSecretsTests
{
    private static string WriteCompose(TempDirectory dir, int port, string secrets = DefaultSecrets, string definitions = DefaultDefinitions) => dir.File("docker-compose.yml", $$"""
        services:
          app:
            image: {{ArticlesImage.Tag}}
            ports: ["{{port}}:8080"]
            environment:
              ARTICLES_DB: /tmp/articles.db
            healthcheck:
              test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
              interval: 1s
              timeout: 5s
              retries: 5
              start_period: 30s
            stop_grace_period: 2s
            deploy:
              replicas: 1
            secrets:
              {{secrets}}
            x-berth:
              health:
                http_path: /healthz
        secrets:
          {{definitions}}
        """);

    private const string DefaultSecrets = """
        - token
              - source: api_key
                target: api.key
        """;

    private const string DefaultDefinitions = """
        token:
            file: ./token.txt
          api_key:
            environment: API_KEY
        """;

    [DockerFact]
    public async Task Deploy_FileSecret_MountedInContainer_ChangedFileNewReleaseAndSwarmSecret_RemovedWithStack()
    {
        var stack = "ssec" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        using var dir = new TempDirectory();
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        var tokenFile = dir.File("token.txt", first);
        var compose = WriteCompose(dir, LoopbackPort.Free());
        var environment = new Dictionary<string, string> { ["API_KEY"] = "key-1" };
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        using var docker = DockerEngine.Connect();

        var deploy = await server.CliAsync(environment, "deploy", "-c", compose, stack);

        Assert.True(deploy.ExitCode == 0, deploy.ToString() + "\n" + server.Output);
        var one = (await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(90), "release 1 healthy")).First(x => x.Release == 1);
        Assert.Equal(first, await ReadInContainerAsync(docker, one.Id, "/run/secrets/token"));
        Assert.Equal("key-1", await ReadInContainerAsync(docker, one.Id, "/run/secrets/api.key"));
        var firstName = SwarmNames.SecretOf(stack, "token", Encoding.UTF8.GetBytes(first));
        Assert.Contains(firstName, await SecretNamesAsync(docker, stack));

        await File.WriteAllTextAsync(tokenFile, second);
        var update = await server.CliAsync(environment, "deploy", "-c", compose, stack);

        Assert.True(update.ExitCode == 0, update.ToString() + "\n" + server.Output);
        Assert.Contains("(release 2): secrets.token: changed", update.Stdout, StringComparison.Ordinal);
        var two = (await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 2 && x.Health == "healthy"), TimeSpan.FromSeconds(90), "release 2 healthy")).First(x => x.Release == 2);
        Assert.Equal(second, await ReadInContainerAsync(docker, two.Id, "/run/secrets/token"));
        var secondName = SwarmNames.SecretOf(stack, "token", Encoding.UTF8.GetBytes(second));
        Assert.NotEqual(firstName, secondName);
        Assert.Contains(secondName, await SecretNamesAsync(docker, stack));
        Assert.DoesNotContain(first, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(second, server.Output, StringComparison.Ordinal);

        var remove = await server.CliAsync("rm", stack);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        var clock = Stopwatch.StartNew();
        while ((await SecretNamesAsync(docker, stack)).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the stack's Swarm secrets were not removed with it: " + string.Join(", ", await SecretNamesAsync(docker, stack)));
            await Task.Delay(500);
        }
    }

    [DockerFact]
    public async Task Deploy_ExternalSecret_ExistingSwarmSecretMounted()
    {
        var stack = "sext" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var external = stack + "-made-by-hand";
        var content = "external-" + Guid.NewGuid().ToString("N");
        using var dir = new TempDirectory();
        await using var cleanup = new SwarmStackCleanup(stack);
        using var docker = DockerEngine.Connect();

        // As `docker secret create`; labelled with the stack only so the test's clean-up finds it (Berth leaves it alone).
        await docker.Secrets.CreateAsync(new SwarmSecretSpec
        {
            Name = external,
            Data = Encoding.UTF8.GetBytes(content),
            Labels = new Dictionary<string, string> { [SwarmLabels.Stack] = stack },
        });
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        var compose = WriteCompose(dir, LoopbackPort.Free(), secrets: "- source: outside\n        target: ext.txt", definitions: $"outside:\n    external: true\n    name: {external}");

        var deploy = await server.CliAsync("deploy", "-c", compose, stack);

        Assert.True(deploy.ExitCode == 0, deploy.ToString() + "\n" + server.Output);
        var replica = (await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Health == "healthy"), TimeSpan.FromSeconds(90), "a healthy replica")).First();
        Assert.Equal(content, await ReadInContainerAsync(docker, replica.Id, "/run/secrets/ext.txt"));
    }

    [DockerFact]
    public async Task Deploy_ExternalSecretKeptByTheServer_MountedAsAVersionedSwarmSecret()
    {
        var stack = "skept" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var content = "kept-" + Guid.NewGuid().ToString("N");
        using var dir = new TempDirectory();
        await using var cleanup = new SwarmStackCleanup(stack);
        using var docker = DockerEngine.Connect();
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        var set = await CliRun.RunAsync(["secret", "set", stack, "api_key"], server.HostEnvironment, stdin: content);
        Assert.True(set.ExitCode == 0, set.ToString());
        var compose = WriteCompose(dir, LoopbackPort.Free(), secrets: "- source: api_key\n        target: api.key", definitions: "api_key:\n    external: true");

        var deploy = await server.CliAsync("deploy", "-c", compose, stack);

        Assert.True(deploy.ExitCode == 0, deploy.ToString() + "\n" + server.Output);
        var replica = (await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Health == "healthy"), TimeSpan.FromSeconds(90), "a healthy replica")).First();
        Assert.Equal(content, await ReadInContainerAsync(docker, replica.Id, "/run/secrets/api.key"));
        Assert.Contains(SwarmNames.SecretOf(stack, "api_key", Encoding.UTF8.GetBytes(content)), await SecretNamesAsync(docker, stack));
    }

    private static async Task<List<string>> SecretNamesAsync(Docker.DotNet.DockerClient docker, string stack) =>
        (await docker.Secrets.ListAsync())
            .Where(s => s.Spec?.Labels?.TryGetValue(SwarmLabels.Stack, out var owner) == true && owner == stack)
            .Select(s => s.Spec!.Name ?? "")
            .ToList();

    /// <summary>`docker exec CONTAINER sh -c 'read line < PATH'` through the Engine API, in the container of Berth replica <paramref name="replica"/>.</summary>
    private static async Task<string> ReadInContainerAsync(Docker.DotNet.DockerClient docker, string replica, string path)
    {
        var container = (await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{SwarmLabels.Replica}={replica}"] = true } },
        })).First();
        var exec = await docker.Exec.CreateContainerExecAsync(container.ID, new ContainerExecCreateParameters
        {
            // The image has no coreutils: the shell's own read and printf (one-line secrets).
            Cmd = ["/bin/sh", "-c", "read -r line < \"$0\"; printf %s \"$line\"", path],
            AttachStdout = true,
            AttachStderr = true,
        });
        using var stream = await docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), CancellationToken.None);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        Assert.True(stderr.Length == 0, $"cat {path}: {stderr}");
        return stdout;
    }
}
