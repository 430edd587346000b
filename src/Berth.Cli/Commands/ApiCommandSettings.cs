using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands;

/// <summary>Settings shared by every verb that talks to the server: where it is.</summary>
public abstract class ApiCommandSettings : CommandSettings
{
    /// <summary>Used when neither --host nor BERTH_HOST is given.</summary>
    public const string DefaultHost = "http://127.0.0.1:7070";

    [CommandOption("--host <URL>")]
    [Description("Berth server address. Default: $BERTH_HOST, else " + DefaultHost + ".")]
    public string? Host { get; init; }

    public override ValidationResult Validate() =>
        Host is null || TryParseHost(Host, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--host: '{Host}' is not an http(s) address, e.g. {DefaultHost}.");

    /// <summary>--host, else BERTH_HOST, else the default; a bad BERTH_HOST is bad input.</summary>
    public Uri ResolveHost(IReadOnlyDictionary<string, string> variables)
    {
        if (Host is not null && TryParseHost(Host, out var fromOption))
        {
            return fromOption;
        }

        if (variables.TryGetValue("BERTH_HOST", out var fromVariable) && !string.IsNullOrWhiteSpace(fromVariable))
        {
            return TryParseHost(fromVariable, out var parsed)
                ? parsed
                : throw new CliInputException($"BERTH_HOST: '{fromVariable}' is not an http(s) address, e.g. {DefaultHost}.");
        }

        return new Uri(DefaultHost);
    }

    /// <summary>Accepts a full URL or a bare host:port (http assumed).</summary>
    private static bool TryParseHost(string text, out Uri host)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host))
        {
            // A trailing slash makes relative API paths resolve under any path prefix.
            host = uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
            return true;
        }

        host = null!;
        return false;
    }
}
