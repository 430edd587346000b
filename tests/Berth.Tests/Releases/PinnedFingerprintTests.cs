using System.Text;
using Berth.Cli.Compose;
using Berth.Releases;
using Berth.Spec;
using Berth.Tests.Infrastructure;
using Berth.Tests.Store;

namespace Berth.Tests.Releases;

/// <summary>
/// The fingerprints of the example files and of the store fixture's stack, pinned to literal values: stores in the
/// field hold these, so a change of the canonical form (a renamed property, a new default, another number or duration
/// format...) must fail here, never pass unnoticed.
/// </summary>
public sealed class PinnedFingerprintTests
{
    private const string WhatToDo =
        "Release fingerprints changed for unchanged compose files. Every store holds the old values: after an upgrade, " +
        "each service would get a new release (and replicas replaced) on its next deploy. If the canonical form must " +
        "change: bump ReleaseFingerprint.Version, add a store schema version whose code step re-fingerprints every " +
        "release (StoreSchema.CodeSteps, ReleaseRefingerprinting), say so in docs/concepts/releases.md, then update the " +
        "values below. Never update them alone. If it must not change: make the new property's default leave it out " +
        "(OmitDefaultValues) or keep the old names and formats.";

    /// <summary>Where the examples' absolute paths (build context, working directory) point instead of this checkout.</summary>
    private const string PinnedRoot = "/berth";

    public static TheoryData<string, string, string> Examples => new()
    {
        // The canary and blue/green files differ from the plain one only by their strategy, which a release leaves out.
        // Changed with the files themselves (they now run from their artifact, with the database in BERTH_DATA_DIR), not
        // with the form.
        { "docker-compose.yml", "app", "v2:b12de30eee5684ea0679afed52d730e22dcff8918a28cada0cc8efe61e25ab08" },
        { "docker-compose.canary.yml", "app", "v2:b12de30eee5684ea0679afed52d730e22dcff8918a28cada0cc8efe61e25ab08" },
        { "docker-compose.blue-green.yml", "app", "v2:b12de30eee5684ea0679afed52d730e22dcff8918a28cada0cc8efe61e25ab08" },
        { "docker-compose.swarm.yml", "app", "v2:f90243d3d91b1de3a906e250f2edb12069125c468f6aef670faa1b2e70af2ed2" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Of_ExampleFile_PinnedValue(string file, string service, string expected)
    {
        var spec = await LoadAsync(Path.Combine(RepoPaths.Root, "examples", "articles", file), new Dictionary<string, string>());

        var actual = ReleaseFingerprint.Of(Relocated(spec.Services[service]));

        Assert.True(actual == expected, $"{file}, service {service}: {actual}, pinned {expected}.\n{WhatToDo}");
    }

    [Theory]
    [InlineData("web", "v2:3c1fdc2b6f4f70d51551ebacf3b55453af49747142ca51f851eb94d87ff2247f")]
    [InlineData("worker", "v2:009f12ec25dc37e19b9984c2d9adbaa52c34c92ee52ef3acea560f952de21a84")]
    public async Task Of_StoreFixtureStack_PinnedValue(string service, string expected)
    {
        var spec = await LoadAsync(StoreV4Fixture.ComposeFile, StoreV4Fixture.LastDeployEnvironment);
        var hash = ReleaseSecret.HashOf(Encoding.UTF8.GetBytes(StoreV4Fixture.ApiKey));
        var secrets = spec.Services[service].Secrets.Select(s => new ReleaseSecret(s.Source, hash, null)).ToList();

        var actual = ReleaseFingerprint.Of(spec.Services[service], secrets);

        Assert.True(actual == expected, $"{StoreV4Fixture.ComposeFile}, service {service}: {actual}, pinned {expected}.\n{WhatToDo}");
    }

    /// <summary>Loads files as `berth deploy` does (the CLI's compose loading), with the given variables.</summary>
    private static async Task<ComposeSpec> LoadAsync(string file, IReadOnlyDictionary<string, string> environment)
    {
        var result = await new ComposeLoading().LoadAsync(
            new ComposeLoadRequest { Files = [file], Environment = environment, ReadSecretContents = true },
            CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>The spec as if the repository were at <see cref="PinnedRoot"/>: the pinned values hold in any checkout.</summary>
    private static ServiceSpec Relocated(ServiceSpec spec)
    {
        static string Move(string path) =>
            path.StartsWith(RepoPaths.Root, StringComparison.Ordinal) ? PinnedRoot + path[RepoPaths.Root.Length..] : path;

        return spec with
        {
            Build = spec.Build is { } build ? build with { Context = Move(build.Context) } : null,
            Berth = spec.Berth with { Process = spec.Berth.Process is { WorkingDir: { } dir } process ? process with { WorkingDir = Move(dir) } : spec.Berth.Process },
        };
    }
}
