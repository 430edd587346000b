using Berth.Api;
using Berth.Cli.Compose;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Store;

/// <summary>
/// Fixtures/store-v4.db: a store written by Berth at schema 4 (fingerprints v1), and the stack deployed into it
/// (Fixtures/store-v4.compose.yml). How it was made: Fixtures/README.md.
/// </summary>
internal static class StoreV4Fixture
{
    public const string Stack = "fixture";

    /// <summary>The secret's content, from the environment as the CLI reads it.</summary>
    public const string ApiKey = "s3cr3t-<&>-key";

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "Berth.Tests", "Store", "Fixtures");

    public static string Database => Path.Combine(Folder, "store-v4.db");

    public static string ComposeFile => Path.Combine(Folder, "store-v4.compose.yml");

    /// <summary>The environment of the fixture's last deploy (FIXTURE_VERSION unset: image fixture/web:2).</summary>
    public static IReadOnlyDictionary<string, string> LastDeployEnvironment { get; } = new Dictionary<string, string> { ["FIXTURE_API_KEY"] = ApiKey };

    /// <summary>A copy of the fixture database in <paramref name="dataDirectory"/> (as berth.db), opened by nothing yet.</summary>
    public static void CopyTo(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        File.Copy(Database, Path.Combine(dataDirectory, "berth.db"));
    }

    /// <summary>Deploys the fixture's compose file as the CLI would (real loader, secret contents read), on the process runtime.</summary>
    public static async Task<DeployResponse> DeployAsync(BerthStore store, IReadOnlyDictionary<string, string> environment, DateTimeOffset now)
    {
        var loaded = await new ComposeLoading().LoadAsync(
            new ComposeLoadRequest { Files = [ComposeFile], Environment = environment, ReadSecretContents = true },
            CancellationToken.None);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var time = new FakeTimeProvider(now);
        var deployer = new StackDeployer(
            store,
            new EventLog(store, time),
            new ReconcileQueue(time),
            new PublishedPortChecker(store),
            time,
            new DeployOnlyRuntimeDriver("process"),
            Options.Create(new DeploymentLimitsOptions()));
        try
        {
            return await deployer.DeployAsync(Stack, new DeployRequest(loaded.Spec!) { SecretContents = loaded.SecretContents }, CancellationToken.None);
        }
        catch (ProblemException problem)
        {
            throw new InvalidOperationException($"{problem.Message}:\n{string.Join("\n", problem.Details)}", problem);
        }
    }
}
