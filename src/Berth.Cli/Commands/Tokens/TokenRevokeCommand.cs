using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token revoke NAME`: the token is refused from the next request on.</summary>
public sealed class TokenRevokeCommand : ApiCommand<TokenRevokeSettings>
{
    public TokenRevokeCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TokenRevokeSettings settings, CancellationToken cancellationToken)
    {
        var token = await client.RevokeTokenAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, token);
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, $"Token '{token.Name}' ({token.Role}) revoked: it is refused from now on.");
        return ExitCodes.Ok;
    }
}
