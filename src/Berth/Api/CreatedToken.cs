namespace Berth.Api;

/// <summary>The answer to POST /api/v1/tokens: the only time the whole token is shown.</summary>
public sealed record CreatedToken(string Name, string Role, string Token, DateTimeOffset? Expires);
