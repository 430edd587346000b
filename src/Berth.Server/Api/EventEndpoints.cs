using System.Runtime.CompilerServices;
using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Engine;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class EventEndpoints
{
    private const int Page = 1000;

    public static void MapEventEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Events, async (long? since, string? service, bool? follow, BerthStore store, EventLog events, HttpContext context) =>
            await NdjsonStream.WriteAsync(context.Response, ReadAsync(since ?? 0, service, follow ?? false, store, events, context.RequestAborted), context.RequestAborted))
            .Requires(BerthPermission.Read, "events.read");

    private static async IAsyncEnumerable<EventInfo> ReadAsync(long since, string? service, bool follow, BerthStore store, EventLog events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading the backlog so nothing falls between the two; duplicates are dropped by sequence.
        await using var live = follow ? events.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken) : null;
        var last = since;
        while (true)
        {
            var page = await store.ReadAsync(tx => tx.GetEventsAsync(last, service, Page, cancellationToken), cancellationToken);
            foreach (var entry in page)
            {
                last = entry.Seq;
                yield return ToInfo(entry);
            }

            if (page.Count < Page)
            {
                break;
            }
        }

        if (live is null)
        {
            yield break;
        }

        while (await live.MoveNextAsync())
        {
            var entry = live.Current;
            if (entry.Seq > last && (service is null || entry.Service == service))
            {
                last = entry.Seq;
                yield return ToInfo(entry);
            }
        }
    }

    private static EventInfo ToInfo(EventRecord entry) => new()
    {
        Seq = entry.Seq,
        Time = entry.Time,
        Kind = entry.Kind,
        Stack = entry.Stack,
        Service = entry.Service,
        Replica = entry.Replica,
        Message = entry.Message,
    };
}
