using System.Threading.Channels;
using Berth.Api;

namespace Berth.Cli.Api;

/// <summary>
/// Wakes a watcher that polls the server as soon as the server records an event it cares about (a replica started or
/// exited, a service running or removed, a rollout step): it follows the event log from now on (`events?follow&amp;tail=0`)
/// in the background. The watcher still polls at its interval when nothing comes — the stream is a shortcut, never
/// the only way to see progress: a server that refuses or drops it (no events.read permission, a proxy in between)
/// leaves plain polling.
/// </summary>
public sealed class EventWake : IAsyncDisposable
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly Task _following;

    private EventWake(BerthApiClient client, TimeProvider time, string? service, Func<EventInfo, bool> matters)
    {
        _time = time;
        _following = FollowAsync(client, service, matters, _stop.Token);
    }

    /// <summary>Starts following the events of <paramref name="service"/> (all when null) for which <paramref name="matters"/> holds.</summary>
    public static EventWake Start(BerthApiClient client, TimeProvider time, string? service, Func<EventInfo, bool> matters)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(matters);
        return new EventWake(client, time, service, matters);
    }

    /// <summary>
    /// Returns when an event that matters arrived since the previous call (at once if one is pending) or after
    /// <paramref name="interval"/>, whichever comes first.
    /// </summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(interval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _pending.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed with no event: poll anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _following.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task FollowAsync(BerthApiClient client, string? service, Func<EventInfo, bool> matters, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var e in client.StreamEventsAsync(follow: true, after: null, since: null, service, tail: 0, cancellationToken).ConfigureAwait(false))
            {
                if (matters(e))
                {
                    _pending.Writer.TryWrite(true);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or BerthApiException or ServerUnreachableException or ServerTrustException
                                       or HttpRequestException or IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            // Stopped, refused or dropped: the watcher goes on polling at its interval, as without it.
        }
    }
}
