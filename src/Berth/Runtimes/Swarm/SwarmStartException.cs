namespace Berth.Runtimes.Swarm;

/// <summary>A replica cannot be started as specified (a secret without content, ...); the message says why.</summary>
internal sealed class SwarmStartException(string message) : Exception(message);
