namespace Berth.Api;

/// <summary>
/// A router's acknowledgement: every update up to <see cref="Version"/> is applied, and the replicas they took out
/// are drained; <see cref="Errors"/> names the services it could not apply (e.g. a port taken), whose previous
/// routes keep serving.
/// </summary>
public sealed record RouterAck(long Version, IReadOnlyDictionary<string, string> Errors);
