using System.ComponentModel;
using Berth.Cli.Connection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router run --server URL --token-file F --state DIR [--id ID] [--tls-ca F] [--take-over]`: a router process (the server starts its own).</summary>
public sealed class RouterRunSettings : CommandSettings
{
    [CommandOption("--server <URL>")]
    [Description("The control plane (berth server) this router follows, e.g. http://127.0.0.1:7070.")]
    public string? Server { get; init; }

    [CommandOption("--token-file <FILE>")]
    [Description("File holding this router's token (role router).")]
    public string? TokenFile { get; init; }

    [CommandOption("--state <DIR>")]
    [Description("Folder for its saved routes (served at start before the control plane answers).")]
    public string? State { get; init; }

    [CommandOption("--id <ID>")]
    [Description("This router's id. Default: the host name.")]
    public string? Id { get; init; }

    [CommandOption("--tls-ca <FILE>")]
    [Description("PEM of the CA that signed the control plane's certificate.")]
    public string? TlsCa { get; init; }

    [CommandOption("--take-over")]
    [Description("Take the listening sockets over from the router running with the same --state, which then drains and exits (what `berth router restart` does): no connection is refused in between.")]
    public bool TakeOver { get; init; }

    public override ValidationResult Validate()
    {
        if (Server is null || ConnectionResolver.TryParseHost(Server) is null)
        {
            return ValidationResult.Error(Server is null ? "--server is required, e.g. --server http://127.0.0.1:7070." : $"--server: '{Server}' is not an http(s) address.");
        }

        if (TokenFile is null || !File.Exists(TokenFile))
        {
            return ValidationResult.Error(TokenFile is null ? "--token-file is required (a token with the router role)." : $"--token-file {TokenFile}: no such file.");
        }

        if (string.IsNullOrWhiteSpace(State))
        {
            return ValidationResult.Error("--state is required (a folder for the router's saved routes).");
        }

        return TlsCa is not null && !File.Exists(TlsCa) ? ValidationResult.Error($"--tls-ca {TlsCa}: no such file.") : ValidationResult.Success();
    }

    /// <summary>The options written out again, for the hand-over to the server executable.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string> { "router", "run", "--server", Server!, "--token-file", TokenFile!, "--state", State! };
        if (Id is not null)
        {
            args.AddRange(["--id", Id]);
        }

        if (TlsCa is not null)
        {
            args.AddRange(["--tls-ca", TlsCa]);
        }

        if (TakeOver)
        {
            args.Add("--take-over");
        }

        return args;
    }
}
