using System.Text.Json;
using Berth.Api;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Api;

/// <summary>Writes a stream of objects as NDJSON (one JSON object per line), flushing each line as it comes.</summary>
internal static class NdjsonStream
{
    public static async Task WriteAsync<T>(HttpResponse response, IAsyncEnumerable<T> items, CancellationToken cancellationToken)
    {
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken);
        // The headers go out now, not with the first item: a follower with nothing to read yet (`events?follow&tail=0`)
        // knows at once that it is subscribed.
        await response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                await JsonSerializer.SerializeAsync(response.Body, item, ApiJson.Options, cancellationToken);
                await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (Ctrl-C on `logs -f`): not an error.
        }
    }
}
