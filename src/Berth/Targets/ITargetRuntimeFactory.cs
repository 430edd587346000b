using Berth.Runtimes;
using Berth.Store;

namespace Berth.Targets;

/// <summary>Makes the runtime that runs a target's replicas, and says why a target cannot be used.</summary>
public interface ITargetRuntimeFactory
{
    /// <summary>Null when the target's engine answers and can run replicas; otherwise what is wrong and what to do.</summary>
    Task<string?> ProblemAsync(TargetRecord target, CancellationToken cancellationToken);

    /// <summary>The runtime of the target (nothing is sent to its engine yet).</summary>
    IRuntimeDriver Create(TargetRecord target);

    /// <summary>Forgets what <see cref="Create"/> or <see cref="ProblemAsync"/> kept for the target (its certificate files).</summary>
    void Delete(string target);
}
