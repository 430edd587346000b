namespace Berth.Api;

/// <summary>GET /api/v1/whoami: the token the request was made with.</summary>
public sealed record WhoAmI(string Name, string Role, DateTimeOffset? Expires);
