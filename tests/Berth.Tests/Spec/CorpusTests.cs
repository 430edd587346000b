using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>
/// Runs the conformance corpus (Spec/Corpus/*.yml): real compose files, each with the outcome the Compose
/// Specification and Berth agree on written in its leading comments (see Corpus/README.md).
/// </summary>
public sealed class CorpusTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["TAG"] = "2",
        ["DB_PASSWORD"] = "pw",
        ["DOMAIN"] = "example.org",
    };

    private static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "Spec", "Corpus");

    public static TheoryData<string> Files() => new(Directory.GetFiles(CorpusDirectory, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task LoadAsync_CorpusFile_MatchesExpectedOutcome(string name)
    {
        var path = Path.Combine(CorpusDirectory, name);
        var expectations = File.ReadLines(path).TakeWhile(l => l.StartsWith('#')).ToList();
        var outcome = Value(expectations, "# expect:").Single();

        var result = await LoadAsync([path]);

        var report = string.Join("\n", result.Diagnostics);
        if (outcome == "accepted")
        {
            Assert.True(result.Succeeded, $"{name} should be accepted:\n{report}");
            foreach (var warning in Value(expectations, "# expect-warning:"))
            {
                Assert.True(result.Warnings.Any(w => w.Path == warning), $"{name}: expected a warning at {warning}:\n{report}");
            }

            return;
        }

        Assert.Equal("refused", outcome);
        Assert.Null(result.Spec);
        var expected = Value(expectations, "# expect-error:").ToList();
        var errors = result.Errors.ToList();
        Assert.True(expected.Count == errors.Count, $"{name}: expected {expected.Count} errors, got {errors.Count}:\n{report}");
        foreach (var line in expected)
        {
            var (at, rest) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var (keyPath, message) = (rest[..rest.IndexOf(": ", StringComparison.Ordinal)], rest[(rest.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
            var match = errors.FirstOrDefault(e => e.Path == keyPath && e.Message.StartsWith(message, StringComparison.Ordinal));
            Assert.True(match is not null, $"{name}: no error `{keyPath}: {message}…`:\n{report}");
            Assert.True($"{match.Line}:{match.Column}" == at, $"{name}: {keyPath} expected at {at}, got {match}");
        }
    }

    [Fact]
    public async Task LoadAsync_BaseAndOverrideFiles_MergedAsCompose()
    {
        var result = await LoadAsync([Path.Combine(CorpusDirectory, "08-override-merge-base.yml"), Path.Combine(CorpusDirectory, "09-override-merge-prod.yml")]);

        var spec = SpecAssert.Succeeds(result);
        var web = spec.Services["web"];
        Assert.Equal([new PortSpec { Target = 80, Published = 80 }], web.Ports);
        Assert.Equal(new Dictionary<string, string?> { ["MODE"] = "prod" }, web.Environment);
        Assert.Equal("service_healthy", web.DependsOn["db"].Condition);
        Assert.Equal(3, web.Deploy.Replicas);
    }

    private static IEnumerable<string> Value(List<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..].Trim());

    private static Task<ComposeLoadResult> LoadAsync(IReadOnlyList<string> files) =>
        new ComposeLoader().LoadAsync(new ComposeLoadRequest { Files = files, Environment = Variables }, CancellationToken.None);
}
