namespace Berth.Cli.Commands.Contexts;

/// <summary>One line of `berth context ls` (and its --json): a context, whether it is current, where its token comes from.</summary>
internal sealed record ContextRow(string Name, bool Current, string Host, string Token, string? TlsCa);
