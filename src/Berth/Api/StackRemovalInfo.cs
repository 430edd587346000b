namespace Berth.Api;

/// <summary>Answer to DELETE /api/v1/stacks/{stack}: the services being removed (their replicas stop in the background).</summary>
public sealed record StackRemovalInfo(string Stack, IReadOnlyList<string> Services);
