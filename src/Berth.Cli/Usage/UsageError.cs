namespace Berth.Cli.Usage;

/// <summary>A command line the CLI does not understand: what to say, and the command whose usage goes under it.</summary>
public sealed record UsageError(string Message, CatalogCommand Command);
