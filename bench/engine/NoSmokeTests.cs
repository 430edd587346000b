using Berth.Engine.Gates;

namespace Berth.Bench.Engine;

/// <summary>The benchmark's services run rolling updates: no smoke command is ever started.</summary>
internal sealed class NoSmokeTests : ISmokeTestRunner
{
    public void Start(long rolloutId, SmokeCommand command) => throw new InvalidOperationException("no smoke commands in this benchmark");

    public SmokeStatus? StatusOf(long rolloutId) => null;

    public void Forget(long rolloutId)
    {
    }
}
