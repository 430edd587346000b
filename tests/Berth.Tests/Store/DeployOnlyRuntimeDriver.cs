using Berth.Runtimes;

namespace Berth.Tests.Store;

/// <summary>
/// A runtime that only has a name: enough for <see cref="Berth.Deployments.StackDeployer"/>, which checks a deploy
/// against the runtime's name and leaves running replicas to the engine (not started in these tests).
/// </summary>
internal sealed class DeployOnlyRuntimeDriver(string name) : IRuntimeDriver
{
    public string Name { get; } = name;

    public event Action<ReplicaObservation>? ReplicaChanged
    {
        add { }
        remove { }
    }

    public Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken) => throw Unused();

    public Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) => throw Unused();

    public Task KillAsync(string replicaId, CancellationToken cancellationToken) => throw Unused();

    public Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken) => throw Unused();

    public IReadOnlyList<ReplicaObservation> Observe() => [];

    public IReadOnlyList<ReplicaObservation> Observe(string service) => [];

    public void Forget(string replicaId) => throw Unused();

    public IAsyncEnumerable<LogLine> ReadLogsAsync(string replicaId, int tail, bool follow, CancellationToken cancellationToken) => throw Unused();

    public Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken) => throw Unused();

    public Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken) => throw Unused();

    private static NotSupportedException Unused() => new("deploy-only runtime: no replicas run in this test");
}
