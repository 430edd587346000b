namespace Berth.Api;

/// <summary>POST /api/v1/tokens: a token's name, role (viewer, deployer, approver, admin) and optional lifetime in seconds.</summary>
public sealed record CreateTokenRequest(string? Name, string? Role, long? ExpiresInSeconds);
