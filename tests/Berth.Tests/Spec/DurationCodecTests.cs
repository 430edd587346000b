using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class DurationCodecTests
{
    /// <summary>Text, syntax, expected value in ticks (null: refused).</summary>
    public static TheoryData<string, DurationSyntax, long?> Cases => new()
    {
        // Go durations: every syntax reads them.
        { "1m30s", DurationSyntax.Go, TimeSpan.FromSeconds(90).Ticks },
        { "10s", DurationSyntax.Compose, TimeSpan.FromSeconds(10).Ticks },
        { "1h", DurationSyntax.Cli, TimeSpan.FromHours(1).Ticks },
        { "500ms", DurationSyntax.Cli, TimeSpan.FromMilliseconds(500).Ticks },
        { "2h45m", DurationSyntax.Cli, (TimeSpan.FromHours(2) + TimeSpan.FromMinutes(45)).Ticks },
        { "1.5h", DurationSyntax.Cli, TimeSpan.FromMinutes(90).Ticks },
        { "1.5s", DurationSyntax.Compose, TimeSpan.FromMilliseconds(1500).Ticks },
        { "1h2m3s", DurationSyntax.Compose, TimeSpan.FromSeconds(3723).Ticks },
        { "2us", DurationSyntax.Compose, 20 },
        { "2µs", DurationSyntax.Compose, 20 },
        { "1ms500us", DurationSyntax.Compose, 15_000 },
        { " 90s ", DurationSyntax.Cli, TimeSpan.FromSeconds(90).Ticks },

        // Bare numbers are seconds where allowed (compose, --timeout 120), refused elsewhere.
        { "30", DurationSyntax.Compose, TimeSpan.FromSeconds(30).Ticks },
        { "0", DurationSyntax.Compose, 0 },
        { "2.5", DurationSyntax.Compose, TimeSpan.FromMilliseconds(2500).Ticks },
        { "120", DurationSyntax.Cli, TimeSpan.FromSeconds(120).Ticks },
        { "120", DurationSyntax.Go, null },
        { "120", DurationSyntax.Days, null },

        // Days: CLI only; compose keeps Docker's grammar.
        { "30d", DurationSyntax.Cli, TimeSpan.FromDays(30).Ticks },
        { "1d12h", DurationSyntax.Cli, TimeSpan.FromHours(36).Ticks },
        { "2d", DurationSyntax.Days, TimeSpan.FromDays(2).Ticks },
        { "1d", DurationSyntax.Compose, null },
        { "1d", DurationSyntax.Go, null },

        // Not durations anywhere.
        { "", DurationSyntax.Cli, null },
        { "   ", DurationSyntax.Cli, null },
        { "10 seconds", DurationSyntax.Cli, null },
        { "-5s", DurationSyntax.Cli, null },
        { "s", DurationSyntax.Cli, null },
        { "1..5s", DurationSyntax.Cli, null },
        { "5x", DurationSyntax.Cli, null },
        { "abc", DurationSyntax.Cli, null },
        { "1w", DurationSyntax.Cli, null },
        { "99999999999999h", DurationSyntax.Cli, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryParse_Table_ReadsOrRefuses(string text, DurationSyntax syntax, long? expectedTicks)
    {
        var ok = DurationCodec.TryParse(text, syntax, out var value);

        Assert.Equal(expectedTicks is not null, ok);
        if (expectedTicks is { } ticks)
        {
            Assert.Equal(TimeSpan.FromTicks(ticks), value);
        }
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(172_800_000, "48h")]
    public void Format_Table_CompactGoStyleThatEverySyntaxReadsBack(long milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        var text = DurationCodec.Format(duration);

        Assert.Equal(expected, text);
        foreach (var syntax in new[] { DurationSyntax.Go, DurationSyntax.Compose, DurationSyntax.Cli })
        {
            Assert.True(DurationCodec.TryParse(text, syntax, out var back));
            Assert.Equal(duration, back);
        }
    }

    [Fact]
    public void Format_SubMillisecond_WritesMicroseconds()
    {
        Assert.Equal("2us", DurationCodec.Format(TimeSpan.FromTicks(20)));
    }
}
