using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Cli.Json;

namespace Berth.Cli.Api;

/// <summary>The administration side of the API: nodes, tokens, the audit log, routers, backups and process artifacts.</summary>
public sealed partial class BerthApiClient
{
    /// <summary>`node drain`: Swarm moves the node's replicas elsewhere (on one node, they stop until it is active again).</summary>
    public Task<NodeInfo> DrainNodeAsync(string node, CancellationToken cancellationToken) =>
        PostAsync<NodeInfo>(ApiRoutes.NodeDrain(node), body: null, cancellationToken);

    /// <summary>`node activate`: the node takes replicas again.</summary>
    public Task<NodeInfo> ActivateNodeAsync(string node, CancellationToken cancellationToken) =>
        PostAsync<NodeInfo>(ApiRoutes.NodeActivate(node), body: null, cancellationToken);

    /// <summary>`token create`: the only answer that holds the whole token.</summary>
    public async Task<CreatedToken> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiRoutes.Tokens, JsonContent.Create(request, CliJson.Api.Info<CreateTokenRequest>()), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<CreatedToken>(response, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(bool all, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<TokenInfo>>(ApiRoutes.Tokens + Query(("all", all ? "true" : null)), cancellationToken);

    public async Task<TokenInfo> RevokeTokenAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, ApiRoutes.Token(name), body: null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<TokenInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit log from <paramref name="since"/> (all when null), the newest <paramref name="limit"/> entries, oldest first.</summary>
    public Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(DateTimeOffset? since, int? limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AuditEntryInfo>>(
            ApiRoutes.Audit + Query(
                ("since", since?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            cancellationToken);

    public Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken) => GetAsync<WhoAmI>(ApiRoutes.WhoAmI, cancellationToken);

    /// <summary>The routers of the control plane (`berth router ls`).</summary>
    public Task<IReadOnlyList<RouterInfo>> ListRoutersAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<RouterInfo>>(ApiRoutes.Routers, cancellationToken);

    /// <summary>Stops a router the server started (admin).</summary>
    public async Task StopRouterAsync(string router, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiRoutes.RouterStop(router), body: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a copy of the store into <paramref name="destination"/> (owner-only); returns its size in bytes.</summary>
    public async Task<long> DownloadBackupAsync(string destination, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, ApiRoutes.Backup, body: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var partial = destination + ".partial";
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            File.WriteAllBytes(partial, []);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var file = new FileStream(partial, FileMode.Truncate, FileAccess.Write);
            await using (file.ConfigureAwait(false))
            {
                await stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(partial, destination, overwrite: true);
        return new FileInfo(destination).Length;
    }

    public Task<RouterRestartInfo> RestartRouterAsync(string router, CancellationToken cancellationToken) =>
        PostAsync<RouterRestartInfo>(ApiRoutes.RouterRestart(router), body: null, cancellationToken);

    /// <summary>Whether the server already keeps the artifact <paramref name="digest"/>.</summary>
    public async Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            await GetAsync<ArtifactInfo>(ApiRoutes.Artifact(digest), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BerthApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Uploads an artifact (a tar.gz whose SHA-256 is <paramref name="digest"/>); up to 10 minutes.</summary>
    public async Task<ArtifactInfo> UploadArtifactAsync(string digest, Stream content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        using var response = await SendCoreAsync(HttpMethod.Put, ApiRoutes.Artifact(digest), body, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<ArtifactInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Has the server keep <paramref name="name"/>'s content for <paramref name="stack"/> (`berth secret set`).</summary>
    public async Task<StackSecretInfo> SetSecretAsync(string stack, string name, SecretSetRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, ApiRoutes.Secret(stack, name), JsonContent.Create(request, CliJson.Api.Info<SecretSetRequest>()), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<StackSecretInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The secrets the server keeps (of <paramref name="stack"/>, or every stack's), never a content.</summary>
    public Task<IReadOnlyList<StackSecretInfo>> ListSecretsAsync(string? stack, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<StackSecretInfo>>(ApiRoutes.Secrets + Query(("stack", stack)), cancellationToken);

    public async Task RemoveSecretAsync(string stack, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, ApiRoutes.Secret(stack, name), body: null, cancellationToken).ConfigureAwait(false);
    }
}
