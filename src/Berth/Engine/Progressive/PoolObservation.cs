using Berth.Engine.Replicas;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// What a planner sees of the replicas beside the stable pool (the new release before the switch, the old one after):
/// which slots are ready, and a replica of this rollout that exited while it was wanted.
/// </summary>
public sealed record PoolObservation
{
    public static readonly PoolObservation Empty = new();

    /// <summary>Slots whose replica is live, wanted and ready (healthy, or running without a healthcheck).</summary>
    public IReadOnlyList<int> ReadySlots { get; init; } = [];

    /// <summary>A replica started by this rollout that exited while it was still wanted, if any.</summary>
    public ExitedReplica? Exited { get; init; }

    /// <summary>Ready replicas among slots 1..<paramref name="slots"/>.</summary>
    public int ReadyUpTo(int slots) => ReadySlots.Count(s => s <= slots);

    /// <summary>The observation of <paramref name="replicas"/> for a rollout that started at <paramref name="since"/>.</summary>
    public static PoolObservation Of(IEnumerable<ReplicaRecord> replicas, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var list = replicas.ToList();
        var exited = list.FirstOrDefault(r => r.State == ReplicaStates.Exited && r.DesiredState == DesiredStates.Running && r.CreatedAt >= since);
        return new PoolObservation
        {
            ReadySlots = list.Where(r => r.IsLive && r.DesiredState == DesiredStates.Running && r.IsReady()).Select(r => r.Slot).Distinct().Order().ToList(),
            Exited = exited is null ? null : new ExitedReplica(exited.Id, exited.ExitCode, exited.Message),
        };
    }
}

/// <summary>A replica that exited: its id, exit code (null when unknown) and the runtime's message.</summary>
public sealed record ExitedReplica(string Id, int? ExitCode, string? Message);
