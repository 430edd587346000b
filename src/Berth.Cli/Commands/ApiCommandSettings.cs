using System.ComponentModel;
using Berth.Cli.Connection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands;

/// <summary>Settings shared by every verb that talks to the server: where it is and which credential to use.</summary>
public abstract class ApiCommandSettings : CommandSettings
{
    /// <summary>Used when neither a flag, the environment nor a context gives a server.</summary>
    public const string DefaultHost = ConnectionResolver.DefaultHost;

    [CommandOption("--host <URL>")]
    [Description("Berth server address. Default: $BERTH_HOST, else the current context's, else " + DefaultHost + ".")]
    public string? Host { get; init; }

    [CommandOption("--context <NAME>")]
    [Description("Use this context (berth context ls) instead of the current one. Default: $BERTH_CONTEXT.")]
    public string? Context { get; init; }

    [CommandOption("--token-file <FILE>")]
    [Description("File holding the API token. Default: $BERTH_TOKEN, else the context's, else the local server's admin token.")]
    public string? TokenFile { get; init; }

    [CommandOption("--tls-ca <FILE>")]
    [Description("PEM file of the CA that signed the server's certificate. Default: $BERTH_TLS_CA, else the context's, else the system's.")]
    public string? TlsCa { get; init; }

    public override ValidationResult Validate() =>
        Host is null || ConnectionResolver.TryParseHost(Host) is not null
            ? ValidationResult.Success()
            : ValidationResult.Error($"--host: '{Host}' is not an http(s) address, e.g. {DefaultHost}.");

    /// <summary>The server and credential this command uses (see <see cref="ConnectionResolver"/> for the precedence).</summary>
    public ServerConnection ResolveConnection(CliEnvironment cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        return ConnectionResolver.Resolve(
            new ConnectionFlags(Host, Context, TokenFile, TlsCa),
            cli.Variables,
            new CliConfigStore(cli.Variables),
            warning => Output.ConsoleText.WriteLine(cli.Error, "warning: " + warning));
    }
}
