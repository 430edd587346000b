namespace Berth.Cli.Commands.Tokens;

/// <summary>What `berth whoami --json` prints: the server, the context, the token's name, role and expiry, and where it came from.</summary>
public sealed record WhoAmIReport(string Server, string? Context, string Token, string Role, DateTimeOffset? Expires, string Credential);
