namespace Berth.Tests.Routing;

/// <summary>
/// Router tests that put real traffic through Kestrel and YARP run one at a time: they measure latency and
/// fairness, and the build machines have two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RoutingCollection
{
    public const string Name = "Routing (loopback traffic)";
}
