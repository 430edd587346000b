using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

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

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "ROLE", "ID", "STATE", "CREATED", "EXPIRES", "LAST USED", "CREATED BY" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var token in tokens)
        {
            table.AddRow(
                new Text(token.Name),
                new Text(token.Role),
                new Text(token.Id),
                new Text(token.State),
                new Text(EventTime.Format(token.CreatedAt)),
                new Text(token.Expires is { } expires ? EventTime.Format(expires) : "never"),
                new Text(token.LastUsedAt is { } used ? EventTime.Format(used) : "-"),
                new Text(token.CreatedBy ?? "-"));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}
