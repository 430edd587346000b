namespace Berth.Runtimes;

/// <summary>One line a replica wrote to stdout or stderr.</summary>
public sealed record LogLine(string ReplicaId, string Text);
