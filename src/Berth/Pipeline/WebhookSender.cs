using System.Globalization;
using System.Text;
using Berth.Hosting;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Pipeline;

/// <summary>
/// Sends the webhook outbox: each due delivery is POSTed with its id, event and signature headers; a 2xx answer marks
/// it delivered, anything else (or no answer within 10 s) schedules the next attempt with doubling back-off (1 s up to
/// 5 min) for a day. It runs apart from the pipeline, so a receiver that is down never blocks a promotion.
/// </summary>
public sealed partial class WebhookSender : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    private readonly BerthStore _store;
    private readonly WebhookKey _key;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public WebhookSender(BerthStore store, WebhookKey key, TimeProvider time, ILogger<WebhookSender> logger)
    {
        _store = store;
        _key = key;
        _time = time;
        _logger = logger;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), _time);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.PassFailed(_logger, exception);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    /// <summary>Sends every delivery due now, once each.</summary>
    public async Task SendDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = await _store.ReadAsync(tx => tx.GetDueWebhookDeliveriesAsync(now, 50, cancellationToken), cancellationToken);
        foreach (var delivery in due)
        {
            var error = await PostAsync(delivery, cancellationToken);
            var attempts = delivery.Attempts + 1;
            var updated = error is null
                ? delivery with { Attempts = attempts, DeliveredAt = _time.GetUtcNow(), LastError = null }
                : delivery with
                {
                    Attempts = attempts,
                    LastError = error,
                    NextAttemptAt = _time.GetUtcNow() + Backoff(attempts),
                    DeliveredAt = _time.GetUtcNow() - delivery.CreatedAt > GiveUpAfter ? _time.GetUtcNow() : null,
                };
            if (error is not null)
            {
                Log.AttemptFailed(_logger, delivery.Id, delivery.Event, attempts, error);
            }

            await _store.WriteAsync(tx => tx.UpdateWebhookDeliveryAsync(updated, cancellationToken), cancellationToken);
        }

        await _store.WriteAsync(tx => tx.DeleteWebhookDeliveriesBeforeAsync(now - GiveUpAfter - TimeSpan.FromDays(6), cancellationToken), cancellationToken);
    }

    /// <summary>1 s, 2 s, 4 s … up to 5 min.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Max(0, attempts - 1))));

    private async Task<string?> PostAsync(WebhookDeliveryRecord delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Berth-Delivery", delivery.Id);
        request.Headers.Add("X-Berth-Event", delivery.Event);
        request.Headers.Add("X-Berth-Signature-256", _key.Sign(delivery.Body));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within 10s";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Error, Message = "Webhook pass failed; retrying at the next tick")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Webhook delivery {Id} ({Event}) attempt {Attempts} failed: {Error}")]
        public static partial void AttemptFailed(ILogger logger, string id, string @event, int attempts, string error);
    }
}
