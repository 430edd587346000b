using Berth.Cli.Api;
using Berth.Cli.Output;
using Berth.Api;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token ls`: names, roles, expiry and last use of the server's tokens; never a secret.</summary>
public sealed class TokenListCommand : ApiCommand<TokenListSettings>
{
    public TokenListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TokenListSettings settings, CancellationToken cancellationToken)
    {
        var tokens = await client.ListTokensAsync(settings.All, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, tokens);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, tokens);
        return ExitCodes.Ok;
    }

    private static ListTable<TokenInfo> Table { get; } = new(
        new ListColumn<TokenInfo>("NAME", "Name", t => t.Name),
        new ListColumn<TokenInfo>("ROLE", "Role", t => t.Role),
        new ListColumn<TokenInfo>("ID", "ID", t => t.Id),
        new ListColumn<TokenInfo>("STATE", "State", t => t.State) { Color = t => t.State == "active" ? null : "grey" },
        new ListColumn<TokenInfo>("CREATED", "Created", t => EventTime.Format(t.CreatedAt)),
        new ListColumn<TokenInfo>("EXPIRES", "Expires", t => t.Expires is { } expires ? EventTime.Format(expires) : "never"),
        new ListColumn<TokenInfo>("LAST USED", "LastUsed", t => t.LastUsedAt is { } used ? EventTime.Format(used) : "-"),
        new ListColumn<TokenInfo>("CREATED BY", "CreatedBy", t => t.CreatedBy ?? "-"));
}
