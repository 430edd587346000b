using System.Security.Claims;
using Berth.Security;

namespace Berth.Server.Security;

/// <summary>The claims a valid token gives a request: its name, role and id.</summary>
public static class BerthClaims
{
    public const string TokenId = "berth:token-id";

    public static ClaimsPrincipal For(TokenRecord token) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, token.Name),
            new Claim(ClaimTypes.Role, RolePermissions.Name(token.Role)),
            new Claim(TokenId, token.Id),
            .. token.ExpiresAt is { } expires ? [new Claim(ClaimTypes.Expiration, expires.ToString("O", System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<Claim>(),
        ],
        TokenAuthenticationHandler.SchemeName));

    public static BerthRole? RoleOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && RolePermissions.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    public static string? NameOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
}
