using Microsoft.AspNetCore.Http;

namespace Berth.Server.Security;

/// <summary>
/// What the token check made of a request, kept on it for the throttle and the audit log: whether a credential was
/// presented, and why it was refused (never the credential itself).
/// </summary>
public sealed record AuthenticationAttempt(bool Presented, string? FailureReason, string? TokenName)
{
    private static readonly object Key = new();

    public static AuthenticationAttempt? Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as AuthenticationAttempt : null;

    public void AttachTo(HttpContext context) => context.Items[Key] = this;
}
