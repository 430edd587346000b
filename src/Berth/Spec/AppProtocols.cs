namespace Berth.Spec;

/// <summary>The values of a port's <c>app_protocol</c> that Berth's router acts on (compared ignoring case).</summary>
public static class AppProtocols
{
    /// <summary>Requests are balanced, split and measured one by one (the default).</summary>
    public const string Http = "http";

    /// <summary>Connections are balanced: any protocol that runs over TCP (databases, brokers, gRPC without HTTP/1.1).</summary>
    public const string Tcp = "tcp";

    public static bool IsTcp(string? appProtocol) => string.Equals(appProtocol, Tcp, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown(string? appProtocol) =>
        appProtocol is null || IsTcp(appProtocol) || string.Equals(appProtocol, Http, StringComparison.OrdinalIgnoreCase);
}
