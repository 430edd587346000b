using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Tokens, async (bool? all, TokenService tokens, TimeProvider time, CancellationToken ct) =>
                (await tokens.ListAsync(all ?? false, ct)).Select(t => ToInfo(t, time.GetUtcNow())).ToList())
            .Requires(BerthPermission.Administer, "token.ls");

        app.MapPost(ApiRoutes.Tokens, async (CreateTokenRequest? request, TokenService tokens, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, request?.Name ?? "?");
                if (request?.Name is not { } name || request.Role is not { } roleText)
                {
                    throw ProblemException.Invalid("the request body must be a CreateTokenRequest: {\"name\": \"ci\", \"role\": \"deployer\", \"expiresInSeconds\": 2592000}");
                }

                if (!RolePermissions.TryParse(roleText, out var role))
                {
                    throw ProblemException.Invalid($"role '{roleText}' is not one of: {string.Join(", ", RolePermissions.Names)}");
                }

                if (name == LocalAdminCredential.TokenName)
                {
                    throw ProblemException.Conflict($"'{LocalAdminCredential.TokenName}' is the server's own local token; choose another name");
                }

                var lifetime = request.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
                var (record, token) = await tokens.CreateAsync(name, role, lifetime, BerthClaims.NameOf(context.User), ct);
                return Results.Created(ApiRoutes.Token(record.Name), new CreatedToken(record.Name, RolePermissions.Name(record.Role), token.ToString(), record.ExpiresAt));
            })
            .Requires(BerthPermission.Administer, "token.create");

        app.MapDelete(ApiRoutes.Tokens + "/{name}", async (string name, TokenService tokens, TimeProvider time, CancellationToken ct) =>
                ToInfo(await tokens.RevokeAsync(name, ct), time.GetUtcNow()))
            .Requires(BerthPermission.Administer, "token.revoke");
    }

    private static TokenInfo ToInfo(TokenRecord token, DateTimeOffset now) => new(
        token.Name,
        RolePermissions.Name(token.Role),
        token.Id,
        token.CreatedAt,
        token.CreatedBy,
        token.ExpiresAt,
        token.RevokedAt,
        token.LastUsedAt,
        token.RevokedAt is not null ? "revoked" : token.IsExpired(now) ? "expired" : "active");
}
