namespace Berth.Cli.Usage;

/// <summary>One command of the tree (a verb such as <c>rollback</c>, or a branch such as <c>service</c>) and what it takes.</summary>
public sealed record CatalogCommand(
    IReadOnlyList<string> Path,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<CatalogOption> Options,
    IReadOnlyList<CatalogArgument> Arguments,
    IReadOnlyList<CatalogCommand> Commands)
{
    /// <summary>A branch only groups commands (<c>berth service</c>); it cannot run.</summary>
    public bool IsBranch => Commands.Count > 0;

    /// <summary>How messages name it: <c>berth rollout status</c>.</summary>
    public string Display => string.Join(' ', ["berth", .. Path]);

    /// <summary>The sub-command named <paramref name="name"/> (or one of its aliases), if any.</summary>
    public CatalogCommand? Child(string name) =>
        Commands.FirstOrDefault(c => c.Path[^1] == name || c.Aliases.Contains(name, StringComparer.Ordinal));

    /// <summary>The option spelled <paramref name="name"/> (<c>--to</c>, <c>-d</c>), if any.</summary>
    public CatalogOption? Option(string name) => Options.FirstOrDefault(o => o.Names.Contains(name, StringComparer.Ordinal));

    /// <summary>This command and every command below it, depth first.</summary>
    public IEnumerable<CatalogCommand> SelfAndDescendants() => Commands.SelectMany(c => c.SelfAndDescendants()).Prepend(this);
}
