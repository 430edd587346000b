using System.Runtime.CompilerServices;
using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Security;
using Berth.Server.Security;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class EventEndpoints
{
    private const int Page = 1000;

    public static void MapEventEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Events, async (long? after, string? since, int? tail, string? service, bool? follow, BerthStore store, EventLog events, HttpContext context) =>
        {
            if (tail is < 0)
            {
                throw ProblemException.Invalid($"tail: {tail} is not a number of events (0 or more; 0 = none of the past, only new ones with follow)");
            }

            DateTimeOffset? from = null;
            if (since is not null)
            {
                // `since` was the sequence number before `after` took that role: say so rather than "not a time".
                from = ApiTime.TryParse(since, out var time)
                    ? time
                    : throw (long.TryParse(since, out _)
                        ? ProblemException.Invalid($"since: '{since}' is not a time; events after a sequence number are ?after={since}")
                        : ApiTime.Invalid("since", since));
            }

            using var ended = ServerStop.LinkStream(context);
            // Subscribed before the backlog is read, so nothing falls between the two; duplicates are dropped by sequence.
            using var live = follow == true ? events.Subscribe() : null;
            var start = after ?? 0;
            if (tail is { } newest)
            {
                start = Math.Max(start, await store.ReadAsync(tx => tx.GetSeqBeforeNewestEventsAsync(service, newest, ended.Token), ended.Token));
            }

            await NdjsonStream.WriteAsync(context.Response, ReadAsync(start, from, service, live, store, ended.Token), ended.Token);
        })
            .Requires(BerthPermission.Read, "events.read");

    /// <summary>
    /// Events with a sequence number above <paramref name="after"/> and, when given, a time at or after <paramref name="since"/>;
    /// then, with a <paramref name="live"/> subscription, the new ones until cancelled.
    /// </summary>
    private static async IAsyncEnumerable<EventInfo> ReadAsync(
        long after, DateTimeOffset? since, string? service, EventSubscription? live, BerthStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after;
        while (true)
        {
            // The store pages by sequence only; events are appended in time order, so older ones are skipped here.
            var page = await store.ReadAsync(tx => tx.GetEventsAsync(last, service, Page, cancellationToken), cancellationToken);
            foreach (var entry in page)
            {
                last = entry.Seq;
                if (since is null || entry.Time >= since)
                {
                    yield return ToInfo(entry);
                }
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

        await foreach (var entry in live.ReadAllAsync(cancellationToken))
        {
            if (entry.Seq > last && (service is null || entry.Service == service))
            {
                last = entry.Seq;
                yield return ToInfo(entry);
            }
        }
    }

    internal static EventInfo ToInfo(EventRecord entry) => new()
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
