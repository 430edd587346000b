namespace Berth.Api;

/// <summary>GET /api/v1/info: who answers.</summary>
public sealed record ServerInfo(string Version, string Runtime, string DataDirectory);
