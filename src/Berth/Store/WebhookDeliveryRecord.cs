namespace Berth.Store;

/// <summary>
/// One webhook notification in the outbox: written in the transaction of the event it tells about, sent until the
/// receiver answers 2xx (at least once: a retry carries the same <see cref="Id"/>), with back-off between attempts.
/// </summary>
public sealed record WebhookDeliveryRecord
{
    /// <summary>The delivery id the receiver de-duplicates on (header X-Berth-Delivery).</summary>
    public required string Id { get; init; }
    public required string Url { get; init; }
    public required string Event { get; init; }

    /// <summary>The JSON body, signed as it is sent.</summary>
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? LastError { get; init; }
}
