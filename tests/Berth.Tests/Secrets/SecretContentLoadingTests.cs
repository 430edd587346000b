using System.Text;
using Berth.Releases;
using Berth.Spec;
using Berth.Tests.Spec;

namespace Berth.Tests.Secrets;

/// <summary>Reading secret contents at deploy (ComposeLoader with ReadSecretContents), and what a release's fingerprint covers.</summary>
public sealed class SecretContentLoadingTests
{
    private const string Compose = """
        services:
          app:
            image: app:1
            secrets:
              - token
              - source: api_key
                target: api.key
        secrets:
          token:
            file: ./token.txt
          api_key:
            environment: API_KEY
          unused:
            file: ./nowhere.txt
          outside:
            external: true
        """;

    private static Task<ComposeLoadResult> LoadAsync(SpecTestDirectory dir, IReadOnlyDictionary<string, string> env, bool read = true) =>
        new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = [dir.Write("compose.yaml", Compose)], Environment = env, ReadSecretContents = read },
            CancellationToken.None);

    [Fact]
    public async Task Load_FileAndEnvironmentSecrets_ContentsReadOnlyForGrantedOnes()
    {
        using var dir = new SpecTestDirectory();
        dir.WriteBytes("token.txt", [0x73, 0x33, 0x00, 0xff, 0x0a]);

        var result = await LoadAsync(dir, new Dictionary<string, string> { ["API_KEY"] = "key-1" });

        SpecAssert.Succeeds(result);
        Assert.Equal(["api_key", "token"], result.SecretContents.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([0x73, 0x33, 0x00, 0xff, 0x0a], result.SecretContents["token"]);
        Assert.Equal("key-1", Encoding.UTF8.GetString(result.SecretContents["api_key"]));
    }

    [Fact]
    public async Task Load_MissingSecretFile_ErrorNamesComposeFileKeyAndPath()
    {
        using var dir = new SpecTestDirectory();

        var result = await LoadAsync(dir, new Dictionary<string, string> { ["API_KEY"] = "key-1" });

        var error = SpecAssert.SingleError(result, "secrets.token.file");
        Assert.EndsWith("compose.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(10, error.Line);
        Assert.Contains(dir.PathOf("token.txt"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.SecretContents);
    }

    [Fact]
    public async Task Load_MissingVariable_ErrorNamesVariableAndKey()
    {
        using var dir = new SpecTestDirectory();
        dir.Write("token.txt", "t");

        var result = await LoadAsync(dir, new Dictionary<string, string>());

        var error = SpecAssert.SingleError(result, "secrets.api_key.environment");
        Assert.Contains("API_KEY is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_TooLargeSecretFile_Error()
    {
        using var dir = new SpecTestDirectory();
        dir.WriteBytes("token.txt", new byte[500 * 1024 + 1]);

        var result = await LoadAsync(dir, new Dictionary<string, string> { ["API_KEY"] = "k" });

        Assert.Contains("at most 512000 bytes", SpecAssert.SingleError(result, "secrets.token.file").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_WithoutReadingContents_MissingFileIsNoError()
    {
        using var dir = new SpecTestDirectory();

        var result = await LoadAsync(dir, new Dictionary<string, string>(), read: false);

        SpecAssert.Succeeds(result);
        Assert.Empty(result.SecretContents);
    }

    [Fact]
    public void Fingerprint_CoversSecretHashes_AndEqualsTheOldOneWithoutSecrets()
    {
        var spec = new ServiceSpec { Name = "s_app", Image = "app:1", Secrets = [new ServiceSecretSpec { Source = "token" }] };
        var one = new ReleaseSecret("token", ReleaseSecret.HashOf("one"u8.ToArray()), null);
        var two = new ReleaseSecret("token", ReleaseSecret.HashOf("two"u8.ToArray()), null);

        Assert.Equal(ReleaseFingerprint.Of(spec), ReleaseFingerprint.Of(spec, []));
        Assert.NotEqual(ReleaseFingerprint.Of(spec, [one]), ReleaseFingerprint.Of(spec, [two]));
        Assert.Equal(ReleaseFingerprint.Of(spec, [one]), ReleaseFingerprint.Of(spec, [one with { }]));
        Assert.Equal("secrets.token: changed", ReleaseDiff.Describe(spec, spec, [one], [two]));
    }
}
