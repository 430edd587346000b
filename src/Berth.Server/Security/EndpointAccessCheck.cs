using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Security;

/// <summary>Fails closed: lists the API endpoints that declare no <see cref="EndpointAccess"/> (the server refuses to start with any).</summary>
public static class EndpointAccessCheck
{
    public static IReadOnlyList<string> EndpointsWithoutRule(IEndpointRouteBuilder app) =>
        app.DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<EndpointAccess>() is null)
            .Select(endpoint => $"{string.Join(",", endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}")
            .ToList();
}
