using System.ComponentModel;
using Berth.Cli.Connection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context create NAME --host URL [--token-file F | --token-stdin] [--tls-ca F] [--use]`.</summary>
public sealed class ContextCreateSettings : CommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The context's name (" + ContextNames.Rule + ").")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--host <URL>")]
    [Description("The server's address, e.g. https://berth.example.com:7070.")]
    public string? Host { get; init; }

    [CommandOption("--token-file <FILE>")]
    [Description("File holding the token, read at each use (the file stays where it is; keep it chmod 600).")]
    public string? TokenFile { get; init; }

    [CommandOption("--token-stdin")]
    [Description("Read the token from standard input and keep it in the CLI config (which is chmod 600).")]
    public bool TokenStdin { get; init; }

    [CommandOption("--tls-ca <FILE>")]
    [Description("PEM file of the CA that signed the server's certificate.")]
    public string? TlsCa { get; init; }

    [CommandOption("--use")]
    [Description("Make it the current context too.")]
    public bool Use { get; init; }

    public override ValidationResult Validate()
    {
        if (!ContextNames.IsValid(Name) || Name == ContextNames.Default)
        {
            return ValidationResult.Error($"context name '{Name}' is not valid: {ContextNames.Rule}; '{ContextNames.Default}' is reserved.");
        }

        if (Host is null || ConnectionResolver.TryParseHost(Host) is null)
        {
            return ValidationResult.Error(Host is null ? "--host is required, e.g. --host https://berth.example.com:7070." : $"--host: '{Host}' is not an http(s) address.");
        }

        if (TokenFile is not null && TokenStdin)
        {
            return ValidationResult.Error("give the token one way: --token-file FILE or --token-stdin.");
        }

        if (TokenFile is not null && !File.Exists(TokenFile))
        {
            return ValidationResult.Error($"--token-file {TokenFile}: no such file.");
        }

        if (TlsCa is not null && !File.Exists(TlsCa))
        {
            return ValidationResult.Error($"--tls-ca {TlsCa}: no such file.");
        }

        return ValidationResult.Success();
    }
}
