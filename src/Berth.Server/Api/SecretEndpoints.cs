using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Spec;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

/// <summary>
/// Secrets the server keeps per stack (`berth secret set|ls|rm`): what a stack's <c>external: true</c> secrets resolve
/// to at its next deploy or promotion (an environment is a stack of its own, so each has its own values). Listed by
/// name, size and who set them when (viewer); set and removed by a deployer; no answer, log or audit entry carries a
/// content.
/// </summary>
internal static class SecretEndpoints
{
    public static void MapSecretEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Secrets, async (string? stack, BerthStore store, CancellationToken ct) =>
                (await store.ReadAsync(tx => tx.GetStackSecretsAsync(stack, ct), ct))
                    .Select(s => new StackSecretInfo(s.Stack, s.Name, s.Size, s.UpdatedAt, s.UpdatedBy)).ToList())
            .Requires(BerthPermission.Read, "secret.ls");

        app.MapPut(ApiRoutes.Secrets + "/{stack}/{name}", async (string stack, string name, SecretSetRequest? request, BerthStore store, TimeProvider time, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, $"{stack}/{name}");
                var content = ContentOf(stack, name, request);
                var now = time.GetUtcNow();
                var by = BerthClaims.NameOf(context.User);
                await store.WriteAsync(tx => tx.SetStackSecretAsync(stack, name, content, now, by, ct), ct);
                return new StackSecretInfo(stack, name, content.Length, now, by);
            })
            .Requires(BerthPermission.Deploy, "secret.set");

        app.MapDelete(ApiRoutes.Secrets + "/{stack}/{name}", async (string stack, string name, BerthStore store, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, $"{stack}/{name}");
                return await store.WriteAsync(tx => tx.DeleteStackSecretAsync(stack, name, ct), ct)
                    ? Results.NoContent()
                    : throw ProblemException.NotFound($"the server keeps no secret {name} for stack {stack}");
            })
            .Requires(BerthPermission.Deploy, "secret.rm");
    }

    /// <summary>The decoded content, or a refusal naming what is wrong (never echoing the content).</summary>
    private static byte[] ContentOf(string stack, string name, SecretSetRequest? request)
    {
        if (ResourceNames.StackProblem(stack) is { } badStack)
        {
            throw ProblemException.Invalid(badStack);
        }

        if (ResourceNames.SecretProblem(name) is { } badName)
        {
            throw ProblemException.Invalid(badName);
        }

        if (request?.Content is not { } encoded)
        {
            throw ProblemException.Invalid("the request body must be a SecretSetRequest: {\"content\": \"<the content, base64>\"}");
        }

        byte[] content;
        try
        {
            content = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw ProblemException.Invalid("content: not base64 (the secret's bytes, base64-encoded)");
        }

        return content.Length switch
        {
            0 => throw ProblemException.Invalid("content: empty; a secret holds at least one byte"),
            > SecretLimits.MaxBytes => throw ProblemException.Invalid($"content: {content.Length} bytes; a secret holds at most {SecretLimits.MaxBytes} bytes (500 KiB)"),
            _ => content,
        };
    }
}
