using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth whoami`: which server, which token (name and role) and where the CLI took it from.</summary>
public sealed class WhoAmICommand : ApiCommand<WhoAmISettings>
{
    public WhoAmICommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, WhoAmISettings settings, CancellationToken cancellationToken)
    {
        var me = await client.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, new WhoAmIReport(BerthApiClient.Display(client.Host), client.Connection.Context, me.Name, me.Role, me.Expires, client.TokenSource));
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, $"Server:     {BerthApiClient.Display(client.Host)}{(client.Connection.Context is { } context ? $" (context {context})" : "")}");
        ConsoleText.WriteLine(Cli.Out, $"Token:      {me.Name} ({me.Role}{(me.Expires is { } expires ? $", expires {expires:u}" : "")})");
        ConsoleText.WriteLine(Cli.Out, $"Credential: {client.TokenSource}");
        return ExitCodes.Ok;
    }
}
