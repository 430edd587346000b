using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Images;
using Berth.Queries;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Engine.Fakes;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Releases;

/// <summary>
/// A deploy pins each image before the release's fingerprint is computed (the engine's part is in
/// Swarm/ImagePinningSwarmTests): the same tag with another digest is a new release, the same digest is not, a pin that
/// cannot be made refuses the deploy with nothing written, and what a client sends as the pin is never trusted.
/// </summary>
public sealed class ImagePinningTests : IDisposable
{
    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new("berth-pinning");
    private readonly BerthStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly FakePinner _pinner = new();
    private readonly StackDeployer _deployer;
    private readonly RolloutQueries _queries;

    public ImagePinningTests()
    {
        _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
        var events = new EventLog(_store, _time);
        _deployer = new StackDeployer(
            _store, events, new ReconcileQueue(_time), new PublishedPortChecker(_store), _time, new FakeRuntimeDriver(_time),
            Options.Create(new DeploymentLimitsOptions()), images: _pinner);
        _queries = new RolloutQueries(_store, new FakeKpiSource());
    }

    [Fact]
    public async Task Deploy_PinsTheDigest_SameDigestUnchanged_MovedTagNewReleaseNamingBothDigests()
    {
        _pinner.Pin = new ImagePin($"registry.test/shop/app:1@{Digest1}");
        await _deployer.DeployAsync("shop", Spec(), None);
        var again = await _deployer.DeployAsync("shop", Spec(), None);

        Assert.False(Assert.Single(again.Services).Changed);
        var first = Assert.Single(await _queries.GetReleasesAsync("shop_app", None));
        Assert.Equal(Digest1, first.Digest);
        Assert.Equal($"registry.test/shop/app:1@{Digest1}", first.PinnedImage);

        _pinner.Pin = new ImagePin($"registry.test/shop/app:1@{Digest2}");
        var moved = await _deployer.DeployAsync("shop", Spec(), None);

        var result = Assert.Single(moved.Services);
        Assert.True(result.Changed);
        Assert.Equal(2, result.Release);
        Assert.Equal("image digest: sha256:111111111111 → sha256:222222222222", result.Summary);
        var releases = await _queries.GetReleasesAsync("shop_app", None);
        Assert.Equal([Digest1, Digest2], releases.OrderBy(r => r.Number).Select(r => r.Digest));
    }

    [Fact]
    public async Task Deploy_PinProblem_RefusedNamingTheService_NothingWritten()
    {
        _pinner.Pin = new ImagePin(null, Problem: "registry registry.test refused the credentials for user ci");

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _deployer.DeployAsync("shop", Spec(), None));

        Assert.Contains(refused.Details, e => e == "service shop_app: registry registry.test refused the credentials for user ci");
        Assert.Null(await _store.ReadAsync(tx => tx.GetStackAsync("shop", None), None));
        Assert.Null(await _store.GetServiceAsync("shop_app", None));
    }

    [Fact]
    public async Task Deploy_LocalImageIdPin_WarnsOnTheImageKey_AndTheReleaseShowsTheId()
    {
        _pinner.Pin = new ImagePin(Digest1, Warning: "registry.test/shop/app:1 was never pushed to a registry");

        var response = await _deployer.DeployAsync("shop", Spec(), None);

        var warning = Assert.Single(response.Warnings);
        Assert.Equal("services.app.image", warning.Key);
        Assert.Equal("shop_app", warning.Service);
        var release = Assert.Single(await _queries.GetReleasesAsync("shop_app", None));
        Assert.Equal(Digest1, release.Digest);
        Assert.True(ImagePin.IsLocalImageId(release.PinnedImage));
    }

    [Fact]
    public async Task Deploy_ThePinAClientSends_IsReplacedByTheServers()
    {
        _pinner.Pin = ImagePin.None;
        var spec = Spec();
        var forged = spec with { Services = spec.Services.ToDictionary(s => s.Key, s => s.Value with { PinnedImage = $"evil/app@{Digest2}" }) };

        await _deployer.DeployAsync("shop", forged, None);

        var release = Assert.Single(await _queries.GetReleasesAsync("shop_app", None));
        Assert.Null(release.PinnedImage);
        Assert.Null(release.Digest);
    }

    [Theory]
    [InlineData("app:1@" + Digest1, Digest1, false)]
    [InlineData(Digest2, Digest2, true)]
    [InlineData("app:1", null, false)]
    [InlineData(null, null, false)]
    public void DigestOf_RegistryDigestOrLocalId(string? pinned, string? digest, bool local)
    {
        Assert.Equal(digest, ImagePin.DigestOf(pinned));
        Assert.Equal(local, ImagePin.IsLocalImageId(pinned));
    }

    private static ComposeSpec Spec() => new()
    {
        Services = new Dictionary<string, ServiceSpec>
        {
            ["app"] = new()
            {
                Name = "app",
                Image = "registry.test/shop/app:1",
                Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["true"] } },
            },
        },
    };

    public void Dispose() => _dir.Dispose();

    private sealed class FakePinner : IImagePinner
    {
        public ImagePin Pin { get; set; } = ImagePin.None;

        public Task<ImagePin> PinAsync(ServiceSpec service, CancellationToken cancellationToken) => Task.FromResult(Pin);
    }
}
