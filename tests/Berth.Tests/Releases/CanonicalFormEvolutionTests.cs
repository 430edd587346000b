using System.Text.Json;
using Berth.Releases;

namespace Berth.Tests.Releases;

/// <summary>
/// A spec record that gains an optional property keeps the canonical form (so the fingerprints) of every value that
/// does not set it: shown on two versions of one record, serialized with the fingerprint's own settings.
/// </summary>
public sealed class CanonicalFormEvolutionTests
{
    public sealed record PortBefore
    {
        public required int Target { get; init; }
        public string Protocol { get; init; } = "tcp";
        public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    }

    public sealed record PortAfter
    {
        public required int Target { get; init; }
        public string Protocol { get; init; } = "tcp";
        public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

        // Added later, each with its default.
        public string AppProtocol { get; init; } = "http";
        public string? Name { get; init; }
        public int? Published { get; init; }
        public bool Sticky { get; init; }
        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
        public IReadOnlyList<string> Aliases { get; init; } = [];
        public PortBefore? Inner { get; init; }
    }

    private static string Canonical<T>(T value) => CanonicalJson.Write(JsonSerializer.SerializeToElement(value, FingerprintJson.Options));

    [Fact]
    public void CanonicalForm_RecordGainsPropertiesWithDefaults_SameText()
    {
        var labels = new Dictionary<string, string> { ["b"] = "1", ["a"] = "2" };

        Assert.Equal(
            Canonical(new PortBefore { Target = 80, Protocol = "udp", Labels = labels }),
            Canonical(new PortAfter { Target = 80, Protocol = "udp", Labels = labels }));
        Assert.Equal("""{"target":80}""", Canonical(new PortAfter { Target = 80 }));
    }

    [Fact]
    public void CanonicalForm_NewPropertySet_InTheText()
    {
        Assert.Equal(
            """{"aliases":["x"],"appProtocol":"grpc","inner":{"target":1},"sticky":true,"target":80,"timeout":"00:01:00"}""",
            Canonical(new PortAfter { Target = 80, AppProtocol = "grpc", Sticky = true, Timeout = TimeSpan.FromMinutes(1), Aliases = ["x"], Inner = new PortBefore { Target = 1 } }));
    }
}
