using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string DeliveryColumns = "id, url, event, body, created_at, attempts, next_attempt_at, delivered_at, last_error";

    private static WebhookDeliveryRecord ReadDelivery(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Url = r.GetString(1),
        Event = r.GetString(2),
        Body = r.GetString(3),
        CreatedAt = ReadTime(r, 4),
        Attempts = r.GetInt32(5),
        NextAttemptAt = ReadTime(r, 6),
        DeliveredAt = ReadOptionalTime(r, 7),
        LastError = ReadOptionalString(r, 8),
    };

    public Task InsertWebhookDeliveryAsync(WebhookDeliveryRecord delivery, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO webhook_deliveries({DeliveryColumns}) VALUES ($id, $url, $event, $body, $created, $attempts, $next, $delivered, $error)",
            cancellationToken,
            DeliveryParameters(delivery));

    public Task UpdateWebhookDeliveryAsync(WebhookDeliveryRecord delivery, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE webhook_deliveries SET attempts = $attempts, next_attempt_at = $next, delivered_at = $delivered, last_error = $error WHERE id = $id",
            cancellationToken,
            DeliveryParameters(delivery));

    /// <summary>Undelivered deliveries whose next attempt is due, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryRecord>> GetDueWebhookDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= $now ORDER BY created_at, id LIMIT $limit",
            ReadDelivery,
            cancellationToken,
            ("$now", Time(now)),
            ("$limit", limit));

    /// <summary>Forgets deliveries done (or given up) before <paramref name="before"/>.</summary>
    public Task DeleteWebhookDeliveriesBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM webhook_deliveries WHERE created_at < $before", cancellationToken, ("$before", Time(before)));

    private static (string, object?)[] DeliveryParameters(WebhookDeliveryRecord d) =>
    [
        ("$id", d.Id),
        ("$url", d.Url),
        ("$event", d.Event),
        ("$body", d.Body),
        ("$created", Time(d.CreatedAt)),
        ("$attempts", d.Attempts),
        ("$next", Time(d.NextAttemptAt)),
        ("$delivered", Time(d.DeliveredAt)),
        ("$error", d.LastError),
    ];
}
