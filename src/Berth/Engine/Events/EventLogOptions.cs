namespace Berth.Engine.Events;

/// <summary>How much of the event log the store keeps.</summary>
public sealed class EventLogOptions
{
    /// <summary>
    /// The newest events kept (default 100,000, a few tens of MB); older ones are deleted as new ones arrive, in steps
    /// of a tenth of this, so `berth events` and the API keep working on a server that runs for months.
    /// </summary>
    public int EventsKept { get; set; } = 100_000;
}
