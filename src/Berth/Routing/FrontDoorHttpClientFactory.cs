using Yarp.ReverseProxy.Forwarder;

namespace Berth.Routing;

/// <summary>
/// The forwarder's HTTP client for a front door: YARP's own settings (no proxy, no redirects, no decompression, no
/// cookies) without distributed-tracing header propagation, so no DiagnosticsHandler runs per request. Trace headers
/// sent by the client still pass through unchanged, like any other request header.
/// </summary>
internal sealed class FrontDoorHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ActivityHeadersPropagator = null;
    }
}
