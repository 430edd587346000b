using Berth.Runtimes;
using Berth.Spec;
using Berth.Tests.Infrastructure;
using Berth.Tests.Spec;

namespace Berth.Tests.Runtimes;

/// <summary>The keys each runtime keeps without applying: the warnings a deploy gets, and docs/compose.md's table.</summary>
public sealed class UnappliedKeysTests
{
    private const string Everything = """
        services:
          app:
            image: articles:1
            command: ["serve"]
            entrypoint: ["/app"]
            working_dir: /srv
            labels: {team: web}
            depends_on: [db]
            ports:
              - "8080:8080"
            healthcheck:
              test: ["CMD", "true"]
            secrets:
              - source: key
                uid: "1000"
                gid: "1000"
                mode: 0440
            deploy:
              mode: global
              labels: {tier: front}
              endpoint_mode: dnsrr
              resources:
                reservations: {memory: 64M}
              placement:
                constraints: [node.role == manager]
                preferences: [{spread: node.labels.zone}]
                max_replicas_per_node: 1
            x-berth:
              process:
                command: "sleep 60"
              health:
                http_path: /healthz
          db:
            image: postgres:16
        secrets:
          key:
            environment: KEY
        """;

    [Fact]
    public void ComposeDoc_TableOfKeysARuntimeDoesNotApply_IsTheListTheServerWarnsFrom()
    {
        var doc = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "compose.md"));
        var heading = Array.IndexOf(doc, "## Keys a runtime does not apply");
        Assert.True(heading >= 0, "docs/compose.md has no section \"## Keys a runtime does not apply\"");
        var table = doc.Skip(heading).SkipWhile(l => l != "| runtime | key | instead | warning at deploy |").Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();

        var expected = UnappliedKeys.All.Select(k => k.MarkdownRow).ToList();

        Assert.True(expected.SequenceEqual(table), "docs/compose.md's table must read:\n" + string.Join('\n', expected));
    }

    [Fact]
    public async Task WarningsFor_ProcessRuntime_EveryKeySetThatItDoesNotApply_ButNotTheOnesTheFileReplaces()
    {
        var spec = await LoadAsync(Everything);

        var warnings = UnappliedKeys.WarningsFor("process", "s", spec);

        Assert.Equal(
            [
                "services.app.working_dir", "services.app.labels", "services.app.deploy.labels", "services.app.deploy.resources",
                "services.app.deploy.placement", "services.app.deploy.endpoint_mode",
                "services.app.secrets[0].uid", "services.app.secrets[0].gid", "services.app.secrets[0].mode",
            ],
            warnings.Select(w => w.Key));
        Assert.All(warnings, w => Assert.Equal("s_app", w.Service));
        Assert.Equal(
            "not applied on the process runtime (replicas are plain processes: no CPU, memory or pids limit); kept in the release",
            warnings.Single(w => w.Key == "services.app.deploy.resources").Message);
    }

    [Fact]
    public async Task WarningsFor_SwarmRuntime_OnlyWhatOneTaskPerSwarmServiceCannotDo()
    {
        var spec = await LoadAsync(Everything);

        var warnings = UnappliedKeys.WarningsFor("swarm", "s", spec);

        Assert.Equal(
            ["services.app.deploy.placement.preferences", "services.app.deploy.placement.max_replicas_per_node", "services.app.deploy.mode"],
            warnings.Select(w => w.Key));
    }

    [Fact]
    public async Task WarningsFor_PlainService_None()
    {
        var spec = await LoadAsync("""
            services:
              app:
                image: articles:1
                ports: ["8080:8080"]
                secrets: [key]
                deploy: {replicas: 3}
                x-berth:
                  process:
                    command: "sleep 60"
                    working_dir: /srv
            secrets:
              key:
                environment: KEY
            """);

        Assert.Empty(UnappliedKeys.WarningsFor("process", "s", spec));
        Assert.Empty(UnappliedKeys.WarningsFor("swarm", "s", spec));
    }

    [Fact]
    public async Task WarningsFor_WorkingDirWithTheProcessOne_NotWarnedOnTheProcessRuntime()
    {
        var spec = await LoadAsync("""
            services:
              app:
                working_dir: /srv
                x-berth:
                  process:
                    command: "sleep 60"
                    working_dir: .
            """);

        Assert.Empty(UnappliedKeys.WarningsFor("process", "s", spec));
    }

    private static async Task<ComposeSpec> LoadAsync(string yaml)
    {
        using var dir = new SpecTestDirectory();
        return SpecAssert.Succeeds(await dir.LoadAsync(yaml, new Dictionary<string, string> { ["KEY"] = "x" }));
    }
}
