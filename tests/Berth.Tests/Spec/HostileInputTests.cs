using System.Text;
using System.Globalization;
using System.Diagnostics;

namespace Berth.Tests.Spec;

public sealed class HostileInputTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_BillionLaughs_RefusedQuickly()
    {
        var yaml = new StringBuilder("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        var previous = "a";
        foreach (var name in new[] { "b", "c", "d", "e", "f", "g", "h", "i" })
        {
            yaml.Append(CultureInfo.InvariantCulture, $"x-{name}: &{name} [{string.Join(",", Enumerable.Repeat("*" + previous, 10))}]\n");
            previous = name;
        }

        yaml.Append("services:\n  app:\n    image: x\n    x-bomb: *i\n");
        var stopwatch = Stopwatch.StartNew();

        var result = await _dir.LoadAsync(yaml.ToString());

        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Null(result.Spec);
        Assert.Contains(result.Errors, e => e.Message.Contains("too many nodes after alias expansion (billion-laughs?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_MergeKeyBomb_RefusedQuickly()
    {
        var yaml = new StringBuilder("x-a: &a {k0: [1,2,3,4,5,6,7,8,9,10]}\n");
        var previous = "a";
        foreach (var name in new[] { "b", "c", "d", "e", "f", "g", "h" })
        {
            yaml.Append(CultureInfo.InvariantCulture, $"x-{name}: &{name} {{{string.Join(",", Enumerable.Range(0, 10).Select(i => $"k{i}: *{previous}"))}}}\n");
            previous = name;
        }

        yaml.Append("services:\n  app:\n    image: x\n    x-bomb:\n      <<: *h\n");
        var stopwatch = Stopwatch.StartNew();

        var result = await _dir.LoadAsync(yaml.ToString());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Contains(result.Errors, e => e.Message.Contains("billion-laughs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_NestingDeeperThan64_Refused()
    {
        var yaml = "services:\n  app:\n    image: x\n    x-deep: " + new string('[', 100) + new string(']', 100) + "\n";

        var result = await _dir.LoadAsync(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public async Task LoadAsync_VeryDeepNesting_RefusedWithoutStackOverflow()
    {
        var yaml = "x: " + new string('[', 200_000) + new string(']', 200_000) + "\n";

        var result = await _dir.LoadAsync(yaml);

        Assert.Contains("deeper than 64", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_FileLargerThan8MiB_RefusedBeforeReading()
    {
        var file = _dir.PathOf("compose.yaml");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(8L * 1024 * 1024 + 1);
        }

        var result = await _dir.LoadFilesAsync([file]);

        Assert.Contains("8 MiB", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_HugeInterpolationResult_Refused()
    {
        var big = new string('x', 300_000);
        var env = new Dictionary<string, string> { ["BIG"] = big };

        var result = await _dir.LoadAsync("services:\n  app:\n    image: \"${BIG}${BIG}${BIG}${BIG}\"\n", env);

        var error = SpecAssert.SingleError(result, "services.app.image");
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 3, 12);
    }

    [Fact]
    public async Task LoadAsync_RecursiveInterpolationNesting_Refused()
    {
        var value = string.Concat(Enumerable.Repeat("${A:-", 40)) + "x" + new string('}', 40);

        var result = await _dir.LoadAsync($"services:\n  app:\n    image: \"{value}\"\n");

        Assert.Contains("nested deeper", SpecAssert.SingleError(result, "services.app.image").Message, StringComparison.Ordinal);
    }


    [Fact]
    public async Task LoadAsync_DepthGainedThroughAliases_Refused()
    {
        var yaml = new StringBuilder("x-0: &l0 " + new string('[', 20) + "1" + new string(']', 20) + "\n");
        for (var i = 1; i < 5; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"x-{i}: &l{i} {new string('[', 20)}*l{i - 1}{new string(']', 20)}\n");
        }

        yaml.Append("services:\n  app:\n    image: x\n");

        var result = await _dir.LoadAsync(yaml.ToString());

        Assert.Contains("deeper than 64 levels after alias expansion", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ThousandsOfErrors_ReportCapped()
    {
        var yaml = new StringBuilder("services:\n");
        for (var i = 0; i < 2000; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  s{i}:\n    imag: x\n");
        }

        var result = await _dir.LoadAsync(yaml.ToString());

        Assert.Null(result.Spec);
        Assert.Equal(501, result.Diagnostics.Count);
        Assert.Contains("more than 500 problems", result.Diagnostics[^1].Message, StringComparison.Ordinal);
    }
}
