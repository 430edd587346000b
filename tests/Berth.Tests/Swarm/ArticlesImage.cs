using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>
/// Builds <c>berth-articles:test</c> once per test run through the Engine API: examples/articles/Dockerfile with the
/// example app's build output as its <c>publish/</c> folder (the Dockerfile starts FROM dotnet-base:10, made by
/// scripts/base-image.sh). Skips the build when an image of the same Articles.dll exists.
/// </summary>
public sealed class ArticlesImage : IAsyncLifetime
{
    public const string Tag = "berth-articles:test";

    public Task InitializeAsync() =>
        DockerEngine.Problem() is not null
            ? Task.CompletedTask
            : LocalImage.EnsureAsync(
                Tag,
                Path.Combine(RepoPaths.Root, "examples", "articles", "Dockerfile"),
                Path.GetDirectoryName(RepoPaths.ArticlesDll)!,
                "publish",
                RepoPaths.ArticlesDll);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Docker tests share the engine's one node and the example image: they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SwarmCollection : ICollectionFixture<ArticlesImage>
{
    public const string Name = "Swarm";
}
