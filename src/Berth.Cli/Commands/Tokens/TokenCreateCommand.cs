using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token create`: makes a token and shows it once (the server keeps only a hash of it).</summary>
public sealed class TokenCreateCommand : ApiCommand<TokenCreateSettings>
{
    public TokenCreateCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TokenCreateSettings settings, CancellationToken cancellationToken)
    {
        var lifetime = settings.Lifetime;
        var created = await client.CreateTokenAsync(
            new CreateTokenRequest(settings.Name, settings.Role, lifetime is { } l ? (long)Math.Ceiling(l.TotalSeconds) : null),
            cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, created);
            return ExitCodes.Ok;
        }

        // The token alone on stdout, so `berth token create ci --role deployer > ci.token` keeps just it.
        ConsoleText.WriteLine(Cli.Out, created.Token);
        var expiry = created.Expires is { } expires ? $"expires {expires:u}" : "never expires";
        ConsoleText.WriteLine(Cli.Error, $"Token '{created.Name}' ({created.Role}, {expiry}) created. It is shown only now: keep it in a file only you can read (chmod 600).");
        return ExitCodes.Ok;
    }
}
