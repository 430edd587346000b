namespace Berth.Routing;

/// <summary>One listener of the router on a published port: an HTTP door (<see cref="FrontDoor"/>) or a TCP door.</summary>
internal interface IFrontDoor : IAsyncDisposable
{
    FrontDoorAddress Address { get; }

    /// <summary>A preview door always reaches the candidate pool.</summary>
    bool Preview { get; }

    /// <summary>The route served right now.</summary>
    ServiceRoute Route { get; }

    /// <summary>Swaps in a new route: new requests or connections see either the old one or the new one.</summary>
    void Apply(ServiceRoute route);

    /// <summary>
    /// Counts what a replica has in flight through this door (requests, or open connections), and keeps counting after
    /// the replica leaves the route: what a drain waits on.
    /// </summary>
    Func<int> InFlightOf(string replicaId);
}
