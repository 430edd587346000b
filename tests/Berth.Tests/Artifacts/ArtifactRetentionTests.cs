using Berth.Artifacts;
using Berth.Releases;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Artifacts;

/// <summary>
/// The artifact store keeps what the releases need: an artifact a service release or a stack release names stays
/// however old; one no release names goes once it is older than the grace (a fresh upload waits for its deploy, and
/// asking for it makes it fresh again); leftovers of interrupted uploads and unpacks go too.
/// </summary>
public sealed class ArtifactRetentionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sweep_KeepsWhatReleasesName_RemovesTheRestOnceOlderThanTheGrace()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var artifacts = new ArtifactStore(dir.Path);
        var byServiceRelease = await AddArtifactAsync(artifacts, "service release");
        var byStackRelease = await AddArtifactAsync(artifacts, "stack release");
        var orphan = await AddArtifactAsync(artifacts, "named by nothing");
        var fresh = await AddArtifactAsync(artifacts, "uploaded a minute ago");
        await artifacts.FilesAsync(byServiceRelease, None);
        await artifacts.FilesAsync(orphan, None);
        var leftover = Path.Combine(artifacts.Folder, ".upload-0123");
        await File.WriteAllTextAsync(leftover, "half an upload");
        await store.WriteAsync(
            async tx =>
            {
                await tx.InsertReleaseAsync(new ReleaseRecord("shop_web", 1, Now, FromArtifact("shop_web", byServiceRelease), "h1", "first"), None);
                await tx.InsertStackReleaseAsync(
                    new StackReleaseRecord
                    {
                        Stack = "shop", Number = 0, CreatedAt = Now,
                        Document = new StackReleaseDocument
                        {
                            Environments = [new EnvironmentSpec { Name = "prod" }],
                            Specs = new Dictionary<string, ComposeSpec>
                            {
                                ["prod"] = new() { Services = new Dictionary<string, ServiceSpec> { ["web"] = FromArtifact("web", byStackRelease) } },
                            },
                        },
                    },
                    None);
            },
            None);
        foreach (var entry in new DirectoryInfo(artifacts.Folder).EnumerateFileSystemInfos())
        {
            entry.LastWriteTimeUtc = (Now - TimeSpan.FromDays(30)).UtcDateTime;
        }

        File.SetLastWriteTimeUtc(PackageOf(artifacts, fresh), (Now - TimeSpan.FromMinutes(1)).UtcDateTime);
        var time = new FakeTimeProvider(Now);
        var retention = new ArtifactRetention(store, artifacts, time, Options.Create(new ArtifactRetentionOptions { Grace = TimeSpan.FromHours(1) }), NullLogger<ArtifactRetention>.Instance);

        var removed = await retention.SweepAsync(None);

        Assert.Equal([orphan], removed);
        Assert.True(artifacts.Has(byServiceRelease));
        Assert.True(Directory.Exists(Path.Combine(artifacts.Folder, byServiceRelease.Replace(':', '-'))), "the unpacked files of a release's artifact were removed");
        Assert.True(artifacts.Has(byStackRelease));
        Assert.True(artifacts.Has(fresh));
        Assert.False(artifacts.Has(orphan));
        Assert.False(Directory.Exists(Path.Combine(artifacts.Folder, orphan.Replace(':', '-'))), "the unpacked files of a removed artifact stayed");
        Assert.False(File.Exists(leftover));

        // Asked for by a deploy about to name it: fresh again, so the sweep after the grace still keeps it.
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(artifacts.Claim(fresh, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(await retention.SweepAsync(None));

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([fresh], await retention.SweepAsync(None));
        Assert.True(artifacts.Has(byServiceRelease));
        Assert.True(artifacts.Has(byStackRelease));
    }

    [Fact]
    public async Task Sweep_AServiceRemoved_ItsArtifactsGo()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var artifacts = new ArtifactStore(dir.Path);
        var digest = await AddArtifactAsync(artifacts, "v1");
        await store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("shop", [], Now, Now), None);
                await tx.UpsertServiceAsync(new ServiceRecord { Name = "shop_web", Stack = "shop", Mode = "replicated", DesiredReplicas = 1, Release = 1, CreatedAt = Now, UpdatedAt = Now }, None);
                await tx.InsertReleaseAsync(new ReleaseRecord("shop_web", 1, Now, FromArtifact("shop_web", digest), "h1", "first"), None);
            },
            None);
        var retention = new ArtifactRetention(store, artifacts, new FakeTimeProvider(Now + TimeSpan.FromDays(1)), Options.Create(new ArtifactRetentionOptions()), NullLogger<ArtifactRetention>.Instance);
        File.SetLastWriteTimeUtc(PackageOf(artifacts, digest), Now.UtcDateTime);

        Assert.Empty(await retention.SweepAsync(None));
        await store.WriteAsync(tx => tx.DeleteServiceAsync("shop_web", None), None);

        Assert.Equal([digest], await retention.SweepAsync(None));
    }

    private static ServiceSpec FromArtifact(string name, string digest) => new()
    {
        Name = name,
        Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["./run"], FromArtifact = true, ArtifactDigest = digest } },
    };

    private static string PackageOf(ArtifactStore artifacts, string digest) => Path.Combine(artifacts.Folder, digest.Replace(':', '-') + ".tar.gz");

    /// <summary>Packs a folder holding <paramref name="content"/> and keeps it in the store, as an upload would.</summary>
    private static async Task<string> AddArtifactAsync(ArtifactStore artifacts, string content)
    {
        using var work = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(work.Path, "out")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "content.txt"), content);
        var package = Path.Combine(work.Path, "out.tar.gz");
        var digest = await ArtifactPackage.PackAsync(folder, package, None);
        await using var stream = File.OpenRead(package);
        await artifacts.SaveAsync(digest, stream, None);
        return digest;
    }
}
