namespace Berth.Cli.Output;

/// <summary>
/// One column of a list verb's output: its header (<c>REPLICAS</c>), its <c>--format</c> field (<c>{{.Replicas}}</c>),
/// how a row's value is written, and how it looks on a terminal.
/// </summary>
public sealed record ListColumn<T>(string Header, string Field, Func<T, string> Value)
{
    /// <summary>The Spectre color of a row's cell on a terminal (<c>green</c>), or null for the default.</summary>
    public Func<T, string?>? Color { get; init; }

    /// <summary>Free text that may wrap on a terminal rather than push the other columns off the screen.</summary>
    public bool Wrap { get; init; }

    /// <summary>Numbers right-aligned on a terminal (redirected output is left-aligned, as docker's).</summary>
    public bool RightAligned { get; init; }
}
