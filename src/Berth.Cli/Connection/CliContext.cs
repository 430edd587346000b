namespace Berth.Cli.Connection;

/// <summary>
/// A named server the CLI can talk to (`berth context create`): its address, where its token comes from (a file
/// read at each use, or the token itself kept in the 0600 config file) and the CA that signed its certificate.
/// </summary>
public sealed record CliContext
{
    public required string Name { get; init; }

    public required string Host { get; init; }

    public string? TokenFile { get; init; }

    public string? Token { get; init; }

    public string? TlsCa { get; init; }
}
