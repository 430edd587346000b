namespace Berth.Pipeline;

/// <summary>
/// The JSON a webhook receives (POST, <c>application/json</c>), with the headers <c>X-Berth-Delivery</c> (the id, the
/// same on every retry: de-duplicate on it), <c>X-Berth-Event</c> and <c>X-Berth-Signature-256</c>
/// (<c>sha256=</c> and the hex HMAC-SHA256 of the body with the server's webhook key).
/// </summary>
public sealed record WebhookPayload(
    string Id,
    string Event,
    string Stack,
    string Environment,
    int Release,
    string State,
    string Message,
    DateTimeOffset At);
