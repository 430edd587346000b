namespace Berth.Security;

/// <summary>
/// The outcome of checking a presented token: the token when it is valid, else why not. <see cref="Reason"/> is safe
/// to show the caller (it never holds the token); <see cref="TokenName"/> is known only when the secret matched.
/// </summary>
public sealed record TokenCheck(TokenRecord? Token, string? Reason, string? TokenName)
{
    public bool IsValid => Token is not null;

    public static TokenCheck Valid(TokenRecord token) => new(token, null, token.Name);

    public static TokenCheck Refused(string reason, string? tokenName = null) => new(null, reason, tokenName);
}
