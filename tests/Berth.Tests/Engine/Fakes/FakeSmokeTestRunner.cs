using System.Collections.Concurrent;
using Berth.Engine.Gates;

namespace Berth.Tests.Engine.Fakes;

/// <summary>Smoke commands that never run: a started one stays running until the test finishes it with a result.</summary>
internal sealed class FakeSmokeTestRunner : ISmokeTestRunner
{
    private readonly ConcurrentDictionary<long, SmokeStatus> _status = new();

    /// <summary>Every command started, in order.</summary>
    public ConcurrentQueue<(long RolloutId, SmokeCommand Command)> Started { get; } = new();

    public void Start(long rolloutId, SmokeCommand command)
    {
        if (_status.TryAdd(rolloutId, SmokeStatus.Running))
        {
            Started.Enqueue((rolloutId, command));
        }
    }

    public SmokeStatus? StatusOf(long rolloutId) => _status.GetValueOrDefault(rolloutId);

    public void Forget(long rolloutId) => _status.TryRemove(rolloutId, out _);

    /// <summary>The running command of the rollout ends: exit code 0 passes.</summary>
    public void Finish(long rolloutId, int exitCode, string output = "")
    {
        Assert.True(_status.ContainsKey(rolloutId), $"no smoke command runs for rollout {rolloutId}");
        _status[rolloutId] = new SmokeStatus(new SmokeResult(exitCode == 0, exitCode, output, exitCode == 0 ? "smoke command passed (exit code 0)" : $"smoke command failed (exit code {exitCode})"));
    }
}
