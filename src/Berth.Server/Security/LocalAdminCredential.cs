using Berth.Security;

namespace Berth.Server.Security;

/// <summary>
/// The server's local admin token, kept in its data folder as <c>local-admin.token</c> (mode 0600): a user of this
/// machine who can read that file is an admin of this server, as one who can open docker.sock is of Docker. The CLI
/// finds the file by itself for a server on loopback (GET /healthz names it to loopback callers only), so the quick
/// start needs no token copying. Made at the first start; made anew when the file is gone or its token revoked.
/// </summary>
public sealed class LocalAdminCredential
{
    public const string FileName = "local-admin.token";
    public const string TokenName = "local-admin";

    private readonly TokenService _tokens;

    public LocalAdminCredential(string dataDirectory, TokenService tokens)
    {
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
        _tokens = tokens;
    }

    /// <summary>The token file's absolute path.</summary>
    public string FilePath { get; }

    /// <summary>Keeps the current file if its token is a valid admin token; else revokes the old one and writes a new one.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(FilePath))
        {
            var current = await File.ReadAllTextAsync(FilePath, cancellationToken);
            var check = await _tokens.CheckAsync(current, cancellationToken);
            if (check.Token is { Role: BerthRole.Admin, Name: TokenName, ExpiresAt: null })
            {
                OwnerOnlyFile.Restrict(FilePath);
                return;
            }
        }

        await _tokens.RevokeIfActiveAsync(TokenName, cancellationToken);
        var (_, token) = await _tokens.CreateAsync(TokenName, BerthRole.Admin, expiresIn: null, createdBy: "berth server", cancellationToken);
        OwnerOnlyFile.WriteText(FilePath, token.ToString());
    }
}
