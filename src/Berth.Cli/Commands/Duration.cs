using Berth.Spec;

namespace Berth.Cli.Commands;

/// <summary>How CLI options read a duration (--timeout 120, 90s, 1m30s, 2d): <see cref="DurationCodec"/> with <see cref="DurationSyntax.Cli"/>.</summary>
public static class Duration
{
    public static bool TryParse(string text, out TimeSpan value) => DurationCodec.TryParse(text, DurationSyntax.Cli, out value);
}
