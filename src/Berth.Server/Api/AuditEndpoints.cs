using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class AuditEndpoints
{
    private const int DefaultLimit = 1000;
    private const int MaxLimit = 100_000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Audit, async (DateTimeOffset? since, int? limit, AuditLog audit, CancellationToken ct) =>
            {
                if (limit is < 1 or > MaxLimit)
                {
                    throw ProblemException.Invalid($"limit must be between 1 and {MaxLimit} (got {limit})");
                }

                var entries = await audit.ReadAsync(since, limit ?? DefaultLimit, ct);
                return entries.Select(e => new AuditEntryInfo(e.Seq, e.At, e.Who, e.Role, e.Action, e.Target, e.Result, e.Status, e.Source, e.Detail)).ToList();
            })
            .Requires(BerthPermission.Administer, "audit.read");
}
