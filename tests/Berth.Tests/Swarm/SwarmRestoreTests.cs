using System.Net.Http.Json;
using Berth.Api;
using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// `berth server --restore FILE` on the swarm runtime: the Swarm service of a replica the restored store does not know
/// is removed with an event; the replica it knows is adopted; a Berth-labelled service of another data folder is left
/// alone (several servers may share one Swarm).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmRestoreTests
{
    [DockerFact]
    public async Task Restore_ServiceOfAReplicaTheBackupDoesNotKnow_RemovedWithAnEvent_KnownOneAdopted_OthersUntouched()
    {
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var kept = "rkeep" + suffix;
        var later = "rlate" + suffix;
        using var dir = new TempDirectory();
        var backup = Path.Combine(dir.Path, "backup.db");
        await using var cleanupKept = new SwarmStackCleanup(kept);
        await using var cleanupLater = new SwarmStackCleanup(later);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        using var docker = DockerEngine.Connect();
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", Compose(dir, kept), kept)).ExitCode);
        var keptReplica = (await server.WaitForReplicasAsync(kept, Running, TimeSpan.FromSeconds(90), "kept running")).Single();
        Assert.Equal(0, (await server.CliAsync("backup", backup)).ExitCode);
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", Compose(dir, later), later)).ExitCode);
        var laterReplica = (await server.WaitForReplicasAsync(later, Running, TimeSpan.FromSeconds(90), "later running")).Single();

        // As another server on the same Swarm would have made it (its own data folder's id), with no task to run.
        var foreign = await docker.Swarm.CreateServiceAsync(new ServiceCreateParameters
        {
            Service = new ServiceSpec
            {
                Name = later + "_foreign",
                Labels = new Dictionary<string, string>
                {
                    [SwarmLabels.Replica] = later + "_foreign.1.abcdef01",
                    [SwarmLabels.Stack] = later,
                    [SwarmLabels.Owner] = "0123456789abcdef0123456789abcdef",
                },
                TaskTemplate = new TaskSpec { ContainerSpec = new ContainerSpec { Image = ArticlesImage.Tag } },
                Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 0 } },
            },
        });

        await server.KillHardAsync();
        await server.RestartAsync("--restore", backup);

        var stacks = await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? [];
        Assert.Equal([kept], stacks.Select(s => s.Name));
        var orphan = Assert.Single(await server.EventsAsync(), e => e.Kind == "replica.orphan_stopped");
        Assert.Equal(laterReplica.Id, orphan.Replica);
        Assert.Contains("Swarm service", orphan.Message, StringComparison.Ordinal);
        var services = await cleanupLater.ServicesAsync();
        Assert.Equal([foreign.ID], services.Select(s => s.ID));
        Assert.Single(await cleanupKept.ServicesAsync());
        await server.WaitForReplicasAsync(kept, r => r.Any(x => x.Id == keptReplica.Id && x.State == "running"), TimeSpan.FromSeconds(60), "the known replica adopted");

        // The later stack's overlay network and secret went too, each with an event; the kept stack's stay.
        var removed = (await server.EventsAsync()).Where(e => e.Kind == "stack.orphan_removed").ToList();
        Assert.All(removed, e => Assert.Equal(later, e.Stack));
        Assert.Contains(removed, e => e.Message.Contains($"network {later}_default removed", StringComparison.Ordinal));
        Assert.Contains(removed, e => e.Message.Contains("secret", StringComparison.Ordinal) && e.Message.EndsWith("removed", StringComparison.Ordinal));
        // Swarm removes an overlay network from the nodes' lists once their last attachment is torn down: a moment later.
        var networks = (await docker.Networks.ListNetworksAsync()).Select(n => n.Name).ToList();
        for (var i = 0; i < 80 && networks.Contains($"{later}_default"); i++)
        {
            await Task.Delay(250);
            networks = (await docker.Networks.ListNetworksAsync()).Select(n => n.Name).ToList();
        }

        Assert.DoesNotContain($"{later}_default", networks);
        Assert.Contains($"{kept}_default", networks);
        var secrets = (await docker.Secrets.ListAsync()).Select(x => x.Spec.Labels is { } l && l.TryGetValue(SwarmLabels.Stack, out var st) ? st : null).ToList();
        Assert.DoesNotContain(later, secrets);
        Assert.Contains(kept, secrets);
    }

    private static bool Running(IReadOnlyList<ReplicaInfo> replicas) => replicas.Count == 1 && replicas[0].State == "running";

    private static string Compose(TempDirectory dir, string stack)
    {
        dir.File($"{stack}-api-key.txt", "s3cret-" + stack);
        return dir.File($"{stack}.yml", $$"""
        services:
          app:
            image: {{ArticlesImage.Tag}}
            environment:
              ARTICLES_DB: /tmp/articles.db
            secrets: [api_key]
            deploy:
              replicas: 1
        secrets:
          api_key:
            file: ./{{stack}}-api-key.txt
        """);
    }
}
