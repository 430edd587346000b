namespace Berth.Images;

/// <summary>The Docker engine cannot be used as configured: the message says where, why, and what to fix.</summary>
public sealed class DockerEngineUnreachableException(string message, Exception inner) : Exception(message, inner);
