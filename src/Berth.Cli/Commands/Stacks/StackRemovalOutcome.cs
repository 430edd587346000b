namespace Berth.Cli.Commands.Stacks;

/// <summary>How the wait for a stack's removal ended: gone, or timed out with what was last seen.</summary>
public sealed record StackRemovalOutcome(bool Removed, IReadOnlyList<ServiceRemovalProgress> Services);
