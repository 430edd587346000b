namespace Berth.Runtimes.Swarm;

/// <summary>Labels Berth puts on the Swarm services, networks and secrets it creates, so it finds them again (and only them).</summary>
public static class SwarmLabels
{
    /// <summary>Berth's service name ({stack}_{service}).</summary>
    public const string Service = "berth.service";
    public const string Stack = "berth.stack";
    public const string Release = "berth.release";
    public const string Slot = "berth.slot";

    /// <summary>The Berth replica id: one Swarm service per Berth replica.</summary>
    public const string Replica = "berth.replica";

    /// <summary>The id of the data folder whose server created the service (see Berth.Server.DataFolderId).</summary>
    public const string Owner = "berth.owner";

    /// <summary>On secrets: the compose secret's name (its Swarm name carries a content hash).</summary>
    public const string Secret = "berth.secret";
}
