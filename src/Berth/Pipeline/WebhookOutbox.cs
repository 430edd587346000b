using System.Text.Json;
using Berth.Spec;
using Berth.Store;

namespace Berth.Pipeline;

/// <summary>
/// Puts a notification in the webhook outbox, inside the transaction that records what it tells: it is sent only if that
/// commits, and it is sent even if the server stops right after (the <see cref="WebhookSender"/> reads the outbox).
/// </summary>
public sealed class WebhookOutbox(TimeProvider time)
{
    public async Task AddAsync(
        StoreTransaction tx, EnvironmentSpec? environment, EnvironmentDeploymentRecord deployment, string kind, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(deployment);
        if (environment?.Webhook is not { } url)
        {
            return;
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var payload = new WebhookPayload(id, kind, deployment.Stack, deployment.Environment, deployment.Release, deployment.State, message, now);
        await tx.InsertWebhookDeliveryAsync(
            new WebhookDeliveryRecord
            {
                Id = id,
                Url = url,
                Event = kind,
                Body = JsonSerializer.Serialize(payload, Api.ApiJson.Options),
                CreatedAt = now,
                NextAttemptAt = now,
            },
            cancellationToken);
    }
}
