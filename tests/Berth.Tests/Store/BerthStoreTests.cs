using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Store;

public sealed class BerthStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static BerthStore Open(TempDirectory dir) => new(Options.Create(new StoreOptions { DataDirectory = dir.Path }));

    [Fact]
    public async Task WriteAsync_WorkThrows_NothingWritten()
    {
        using var dir = new TempDirectory();
        var store = Open(dir);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("s", [], Now, Now), CancellationToken.None);
                throw new InvalidOperationException("boom");
            },
            CancellationToken.None));

        Assert.Empty(await store.ReadAsync(tx => tx.GetStacksAsync(CancellationToken.None), CancellationToken.None));
    }

    [Fact]
    public async Task Release_RoundTripsSpecExactly()
    {
        using var dir = new TempDirectory();
        var store = Open(dir);
        var spec = new ServiceSpec
        {
            Name = "s_web",
            Environment = new Dictionary<string, string?> { ["A"] = "1", ["B"] = null },
            Deploy = new DeploySpec { Replicas = 3, RestartPolicy = new RestartPolicySpec { MaxAttempts = 2, Window = TimeSpan.FromSeconds(90) } },
            Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["sleep", "1"] } },
        };

        await store.WriteAsync(tx => tx.InsertReleaseAsync(new ReleaseRecord("s_web", 1, Now, spec, "hash", "first"), CancellationToken.None), CancellationToken.None);
        var back = await store.GetReleaseAsync("s_web", 1, CancellationToken.None);

        Assert.NotNull(back);
        Assert.Equal(TimeSpan.FromSeconds(90), back.Spec.Deploy.RestartPolicy.Window);
        Assert.Equal(["sleep", "1"], back.Spec.Berth.Process!.Command);
        Assert.Null(back.Spec.Environment["B"]);
        Assert.Equal(Now, back.CreatedAt);
    }

    [Fact]
    public async Task GetLastReleaseNumber_ServiceWithHistory_HighestNumberOrZero()
    {
        using var dir = new TempDirectory();
        var store = Open(dir);
        foreach (var number in (int[])[1, 2, 5])
        {
            await store.WriteAsync(tx => tx.InsertReleaseAsync(new ReleaseRecord("s_web", number, Now, new ServiceSpec { Name = "s_web" }, "h" + number, "r"), CancellationToken.None), CancellationToken.None);
        }

        Assert.Equal(5, await store.ReadAsync(tx => tx.GetLastReleaseNumberAsync("s_web", CancellationToken.None), CancellationToken.None));
        Assert.Equal(0, await store.ReadAsync(tx => tx.GetLastReleaseNumberAsync("s_other", CancellationToken.None), CancellationToken.None));
    }

    [Fact]
    public async Task Open_Twice_SchemaKeptAndDataReloaded()
    {
        using var dir = new TempDirectory();
        await Open(dir).WriteAsync(tx => tx.UpsertStackAsync(new StackRecord("s", ["/a.yml"], Now, Now), CancellationToken.None), CancellationToken.None);

        var stacks = await Open(dir).ReadAsync(tx => tx.GetStacksAsync(CancellationToken.None), CancellationToken.None);

        Assert.Equal("/a.yml", Assert.Single(stacks).SourceFiles.Single());
    }
}
