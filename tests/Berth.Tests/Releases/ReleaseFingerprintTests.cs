using System.Text.Json;
using Berth.Releases;
using Berth.Spec;

namespace Berth.Tests.Releases;

/// <summary>The canonical form release fingerprints hash (v2): deterministic, and blind to defaults and to other JSON settings.</summary>
public sealed class ReleaseFingerprintTests
{
    private static readonly ServiceSpec Web = new()
    {
        Name = "s_web",
        Image = "web:1",
        Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["sleep", "60"], WorkingDir = "/srv" } },
    };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Of_AnySpec_VersionThenSha256Hex()
    {
        Assert.Matches("^v2:[0-9a-f]{64}$", ReleaseFingerprint.Of(Web));
        Assert.Equal(2, ReleaseFingerprint.Version);
    }

    [Fact]
    public void CanonicalForm_AllDefaults_OnlyWhatIsSet()
    {
        Assert.Equal("""{"spec":{"name":"s"}}""", ReleaseFingerprint.CanonicalForm(new ServiceSpec { Name = "s" }, []));
        Assert.Equal(
            """{"spec":{"berth":{"process":{"command":["sleep","60"],"workingDir":"/srv"}},"image":"web:1","name":"s_web"}}""",
            ReleaseFingerprint.CanonicalForm(Web, []));
    }

    [Fact]
    public void CanonicalForm_ReplicasAndStrategy_LeftOut()
    {
        var scaled = Web with
        {
            Deploy = new DeploySpec { Replicas = 7 },
            Berth = Web.Berth with { Strategy = new StrategySpec { Kind = StrategySpec.CanaryKind, Canary = new CanarySpec { Steps = [new CanaryStepSpec { Kind = "weight", Weight = 10 }] } } },
        };

        Assert.Equal(ReleaseFingerprint.CanonicalForm(Web, []), ReleaseFingerprint.CanonicalForm(scaled, []));
    }

    [Fact]
    public void Of_MapsInAnotherOrder_SameFingerprint()
    {
        var one = Web with
        {
            Environment = new Dictionary<string, string?> { ["B"] = "2", ["A"] = "1", ["a"] = null },
            Labels = new Dictionary<string, string> { ["z"] = "1", ["y"] = "2" },
            Extensions = new Dictionary<string, JsonElement> { ["x-b"] = Json("""{"k":1,"j":[2,1]}"""), ["x-a"] = Json("true") },
        };
        var two = Web with
        {
            Environment = new Dictionary<string, string?> { ["a"] = null, ["A"] = "1", ["B"] = "2" },
            Labels = new Dictionary<string, string> { ["y"] = "2", ["z"] = "1" },
            Extensions = new Dictionary<string, JsonElement> { ["x-a"] = Json("true"), ["x-b"] = Json("""{"j":[2,1],"k":1}""") },
        };

        Assert.Equal(ReleaseFingerprint.Of(one), ReleaseFingerprint.Of(two));
        Assert.Contains("""
            "environment":{"A":"1","B":"2","a":null}
            """, ReleaseFingerprint.CanonicalForm(one, []));
        Assert.Contains("""
            "extensions":{"x-a":true,"x-b":{"j":[2,1],"k":1}}
            """, ReleaseFingerprint.CanonicalForm(one, []));
    }

    [Fact]
    public void Of_ListInAnotherOrder_NewFingerprint()
    {
        Assert.NotEqual(
            ReleaseFingerprint.Of(Web with { Command = ["a", "b"] }),
            ReleaseFingerprint.Of(Web with { Command = ["b", "a"] }));
    }

    [Fact]
    public void Of_EmptyListWhereDefaultIsNull_NewFingerprint()
    {
        // `command: []` is not the same as no command: only a value equal to the record's own default is left out.
        Assert.NotEqual(ReleaseFingerprint.Of(Web), ReleaseFingerprint.Of(Web with { Command = [] }));
        Assert.Equal(ReleaseFingerprint.Of(Web), ReleaseFingerprint.Of(Web with { Environment = new Dictionary<string, string?>() }));
    }

    [Fact]
    public void Of_DefaultWrittenOut_SameAsLeftOut()
    {
        var explicitDefaults = Web with
        {
            StopGracePeriod = TimeSpan.FromSeconds(10),
            Deploy = new DeploySpec { Mode = DeployModes.Replicated, RestartPolicy = new RestartPolicySpec { Condition = RestartConditions.Any, Delay = TimeSpan.FromSeconds(5) } },
        };

        Assert.Equal(ReleaseFingerprint.Of(Web), ReleaseFingerprint.Of(explicitDefaults));
        Assert.NotEqual(ReleaseFingerprint.Of(Web), ReleaseFingerprint.Of(Web with { StopGracePeriod = TimeSpan.FromSeconds(11) }));
    }

    [Fact]
    public void CanonicalForm_StringsToEscape_OnlyWhatJsonRequires()
    {
        var spec = Web with { Environment = new Dictionary<string, string?> { ["V"] = "8080->80/tcp it's <a & b> café ☕ \"q\" \\ \n\t\u0001\u007f" } };

        Assert.Contains("""
            "V":"8080->80/tcp it's <a & b> café ☕ \"q\" \\ \n\t\u0001
            """ + "\u007f\"", ReleaseFingerprint.CanonicalForm(spec, []));
    }

    [Fact]
    public void CanonicalForm_DurationsAndNumbers_FixedForms()
    {
        var spec = Web with
        {
            StopGracePeriod = TimeSpan.FromMilliseconds(1500),
            Healthcheck = new HealthcheckSpec { Interval = TimeSpan.FromDays(1) },
            Deploy = new DeploySpec { Resources = new ResourcesSpec { Limits = new ResourceAmountSpec { Cpus = 0.1 + 0.2, MemoryBytes = 1L << 40 } } },
            Extensions = new Dictionary<string, JsonElement> { ["x-n"] = Json("[1.0, 1e2, 0.5, -0.0, 12345678901234567890]") },
        };

        var text = ReleaseFingerprint.CanonicalForm(spec, []);

        Assert.Contains("\"stopGracePeriod\":\"00:00:01.5000000\"", text);
        Assert.Contains("\"healthcheck\":{\"interval\":\"1.00:00:00\"}", text);
        Assert.Contains("\"limits\":{\"cpus\":0.30000000000000004,\"memoryBytes\":1099511627776}", text);
        Assert.Contains("\"x-n\":[1,100,0.5,0,1.2345678901234567E+19]", text);
    }

    [Fact]
    public void Of_Secrets_ByNameAndContentHashOrExternalName()
    {
        ReleaseSecret[] granted = [new("b", null, "prod_b"), new("a", ReleaseSecret.HashOf([1, 2, 3]), null)];

        var text = ReleaseFingerprint.CanonicalForm(Web, granted);

        Assert.EndsWith(
            $$$"""
            "secrets":[{"sha256":"{{{ReleaseSecret.HashOf([1, 2, 3])}}}","source":"a"},{"external":"prod_b","source":"b"}],"spec":{"berth":{"process":{"command":["sleep","60"],"workingDir":"/srv"}},"image":"web:1","name":"s_web"}}
            """,
            text);
        Assert.Equal(ReleaseFingerprint.Of(Web, granted), ReleaseFingerprint.Of(Web, [.. granted.Reverse()]));
        Assert.NotEqual(ReleaseFingerprint.Of(Web, granted), ReleaseFingerprint.Of(Web, [granted[0], new("a", ReleaseSecret.HashOf([4]), null)]));
        Assert.Equal(ReleaseFingerprint.Of(Web), ReleaseFingerprint.Of(Web, []));
    }
}
