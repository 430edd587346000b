using System.Text.Json;
using System.Threading.Channels;
using Berth.Api;
using Berth.Engine.Events;
using Berth.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Dashboard;

/// <summary>
/// The dashboard's live stream (server-sent events): every new event as <c>event: event</c> (of one service with
/// ?service=S) and, with ?service=S, that service's <see cref="ServicePulse"/> every second as <c>event: pulse</c>, so
/// its page and charts move without a reload. A slow page loses the oldest messages, never slows the server.
/// </summary>
internal static class DashboardLive
{
    private static readonly TimeSpan PulseEvery = TimeSpan.FromSeconds(1);

    public static async Task StreamAsync(string? service, HttpContext context, EventLog events, DashboardQueries queries, TimeProvider time)
    {
        using var ended = ServerStop.LinkStream(context);
        var cancellationToken = ended.Token;
        var first = service is null ? null : await queries.GetPulseAsync(service, cancellationToken); // an unknown service is a 404, before the stream starts
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers[HeaderNames.CacheControl] = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        var outbox = Channel.CreateBounded<(string Kind, object Data)>(new BoundedChannelOptions(512) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relay = RelayEventsAsync(service, events, outbox.Writer, stop.Token);
        var pulse = service is null ? Task.CompletedTask : PulseAsync(service, queries, time, outbox.Writer, stop.Token);
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancellationToken);
            if (first is not null)
            {
                outbox.Writer.TryWrite(("pulse", first));
            }

            await response.Body.FlushAsync(cancellationToken);
            await foreach (var (kind, data) in outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await response.WriteAsync($"event: {kind}\ndata: {JsonSerializer.Serialize(data, data.GetType(), ApiJson.Options)}\n\n", cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(relay, pulse);
        }
    }

    private static async Task RelayEventsAsync(string? service, EventLog events, ChannelWriter<(string, object)> outbox, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in events.SubscribeAsync(cancellationToken))
            {
                if (service is null || entry.Service == service)
                {
                    outbox.TryWrite(("event", EventEndpoints.ToInfo(entry)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task PulseAsync(string service, DashboardQueries queries, TimeProvider time, ChannelWriter<(string, object)> outbox, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(PulseEvery, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    outbox.TryWrite(("pulse", await queries.GetPulseAsync(service, cancellationToken)));
                }
                catch (ProblemException e) when (e.Kind == ProblemKind.NotFound)
                {
                    outbox.TryWrite(("gone", new ErrorResponse(e.Message)));
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
