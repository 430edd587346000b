namespace Berth.Cli.Usage;

/// <summary>One option of a command: its spellings (<c>--detach</c>, <c>-d</c>), its value's name when it takes one, its CLR type.</summary>
public sealed record CatalogOption(IReadOnlyList<string> Names, string? ValueName, string? ClrType)
{
    /// <summary>The main spelling, as help shows it first (<c>--detach</c>).</summary>
    public string Name => Names[0];

    /// <summary>False for flags (<c>--json</c>), true for options followed by a value (<c>--to 3</c>).</summary>
    public bool TakesValue => ValueName is not null;
}
