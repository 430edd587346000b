using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Deployments;
using Berth.Queries;
using Berth.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class ServiceEndpoints
{
    public static void MapServiceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Services, (string? stack, ServiceQueries queries, CancellationToken ct) => queries.GetServicesAsync(stack, ct))
            .Requires(BerthPermission.Read, "service.ls");

        app.MapGet(ApiRoutes.Services + "/{service}", async (string service, ServiceQueries queries, ITrafficRouter router, Berth.Routing.Fleet.FleetMetrics metrics, CancellationToken ct) =>
            await queries.GetServiceAsync(service, ct) with { Route = RouteDescriber.Describe(router, metrics, service) })
            .Requires(BerthPermission.Read, "service.inspect");

        app.MapPost(ApiRoutes.Scale, async (ScaleRequest? request, ServiceScaler scaler, ServiceQueries queries, HttpContext context, CancellationToken ct) =>
        {
            if (request?.Replicas is { Count: > 0 } wanted)
            {
                AuditContext.SetTarget(context, string.Join(",", wanted.Select(w => $"{w.Key}={w.Value}")));
            }

            if (request?.Replicas is null)
            {
                throw ProblemException.Invalid("the request body must be a ScaleRequest: {\"replicas\": {\"SERVICE\": N}}");
            }

            var scaled = await scaler.ScaleAsync(request.Replicas, ct);
            var result = new List<ServiceInfo>();
            foreach (var service in scaled)
            {
                result.Add(await queries.GetServiceAsync(service.Name, ct));
            }

            return result;
        })
            .Requires(BerthPermission.Deploy, "service.scale");

        app.MapGet(ApiRoutes.Services + "/{service}/logs", async (string service, int? tail, string? since, bool? follow, ServiceLogReader logs, HttpContext context) =>
        {
            DateTimeOffset? from = since is null ? null : ApiTime.TryParse(since, out var time) ? time : throw ApiTime.Invalid("since", since);
            using var ended = ServerStop.LinkStream(context);
            var lines = await logs.OpenAsync(service, tail ?? -1, from, follow ?? false, ended.Token);
            await NdjsonStream.WriteAsync(context.Response, lines, ended.Token);
        })
            .Requires(BerthPermission.Deploy, "service.logs");
    }
}
