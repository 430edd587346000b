using Berth.Pipeline;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Examples;

/// <summary>examples/articles/environments.yml over the canary stack file: the pipeline its comments describe.</summary>
public sealed class PipelineExampleFileTests
{
    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", "articles", name);

    private static async Task<ComposeSpec> LoadAsync(string? environment)
    {
        var variables = environment is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["BERTH_ENVIRONMENT"] = environment };
        var result = await new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = [Example("docker-compose.canary.yml"), Example("environments.yml")], Environment = variables, ForDeploy = true },
            CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Spec!;
    }

    [Fact]
    public async Task Environments_DevStagingProd_ProdManualWithTheCanary()
    {
        var spec = await LoadAsync(null);

        Assert.Equal(["dev", "staging", "prod"], spec.Environments.Select(e => e.Name));
        Assert.Equal([EntryModes.Auto, EntryModes.Auto, EntryModes.Manual], spec.Environments.Select(e => e.Entry));
        Assert.NotNull(spec.Environments[1].Gates.Smoke);

        var ports = new List<int>();
        foreach (var environment in spec.Environments)
        {
            var loaded = await LoadAsync(environment.Name);
            var app = EnvironmentOverlay.Apply(loaded, environment).Services["app"];
            ports.Add(app.Ports[0].Published!.Value);
            // Each environment is a stack of its own (articles-dev_app, …), so each has its own data folder and database.
            Assert.Equal("${BERTH_DATA_DIR}/articles.db", app.Berth.Process!.Environment["ARTICLES_DB"]);
            Assert.True(app.Berth.Process.FromArtifact);
            Assert.Equal(environment.Name == "prod" ? StrategySpec.CanaryKind : StrategySpec.RollingKind, app.Berth.Strategy.Kind);
        }

        Assert.Equal([10080, 9080, 8080], ports);
    }
}
