namespace Berth.Routing;

/// <summary>What a front door speaks: HTTP (YARP, per request) or TCP (per connection).</summary>
public static class FrontDoorProtocols
{
    /// <summary>Kestrel and YARP: requests are balanced, split, retried and measured one by one.</summary>
    public const string Http = "http";

    /// <summary>A plain socket listener: each connection goes to one replica and its bytes are copied both ways.</summary>
    public const string Tcp = "tcp";
}
