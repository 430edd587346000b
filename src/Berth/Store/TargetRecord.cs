namespace Berth.Store;

/// <summary>
/// A deploy target an admin added (<c>berth target add NAME --docker-host URL</c>): a Docker Swarm manager's Engine API
/// and, for mutual TLS, the PEM texts of its CA and of the client certificate and key Berth presents.
/// </summary>
public sealed record TargetRecord(string Name, string Endpoint, TargetTls? Tls, DateTimeOffset CreatedAt, string? CreatedBy);

/// <summary>The PEM texts of a target's mutual TLS: the engine's CA, and the client certificate and its key.</summary>
public sealed record TargetTls(string Ca, string Certificate, string Key);
