namespace Berth.Routing;

/// <summary>Router settings of the server.</summary>
public sealed class RouterOptions
{
    /// <summary>Address front doors bind when a port has no host_ip. Default 127.0.0.1 (loopback only).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";
}
