using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Connection;
using Berth.Cli.Json;

namespace Berth.Cli.Api;

/// <summary>Typed client of the Berth HTTP API (the routes of <see cref="ApiRoutes"/>), used by every CLI verb.</summary>
public sealed partial class BerthApiClient : IDisposable
{
    /// <summary>How long a non-streaming call may take before the server counts as unreachable.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;
    private readonly ServerTrust? _trust;
    private string? _token;
    private string _tokenSource;
    private bool _localCredentialLooked;

    /// <summary>Creates a client for <paramref name="host"/> without a configured token (the local credential may still be found).</summary>
    public BerthApiClient(Uri host, HttpMessageHandler? handler = null)
        : this(new ServerConnection { Host = host }, handler)
    {
    }

    /// <summary>Creates a client for <paramref name="connection"/>; <paramref name="handler"/> is for tests and is disposed with the client.</summary>
    public BerthApiClient(ServerConnection connection, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Host = connection.Host;
        _token = connection.Token;
        _tokenSource = connection.TokenSource;
        if (handler is null)
        {
            var sockets = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
            if (connection.TlsCaFile is { } caFile)
            {
                _trust = ServerTrust.FromCaFile(caFile);
                sockets.SslOptions.RemoteCertificateValidationCallback = _trust.Validate;
            }

            handler = sockets;
        }

        // Infinite at the HttpClient level: follow streams run until cancelled; plain calls get RequestTimeout.
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = Host,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The server address, e.g. http://127.0.0.1:7070.</summary>
    public Uri Host { get; }

    /// <summary>How this client connects (address, credential and its origin, CA).</summary>
    public ServerConnection Connection { get; }

    /// <summary>Where the token sent comes from, for messages ("BERTH_TOKEN", "the local server's admin token (PATH)").</summary>
    public string TokenSource => _tokenSource;

    /// <summary>The address as people read it: no trailing slash.</summary>
    public static string Display(Uri host) => host.ToString().TrimEnd('/');

    public Task<ServerInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        GetAsync<ServerInfo>(ApiRoutes.Info, cancellationToken);

    public Task<IReadOnlyList<StackInfo>> ListStacksAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<StackInfo>>(ApiRoutes.Stacks, cancellationToken);

    public async Task RemoveStackAsync(string stack, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, ApiRoutes.Stack(stack), body: null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeployResponse> DeployAsync(string stack, DeployRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiRoutes.Deploy(stack), JsonContent.Create(request, CliJson.Api.Info<DeployRequest>()), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<DeployResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ServiceInfo>> ListServicesAsync(string? stack, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ServiceInfo>>(ApiRoutes.Services + Query(("stack", stack)), cancellationToken);

    public Task<ServiceInfo> GetServiceAsync(string service, CancellationToken cancellationToken) =>
        GetAsync<ServiceInfo>(ApiRoutes.Service(service), cancellationToken);

    public async Task<IReadOnlyList<ServiceInfo>> ScaleAsync(ScaleRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiRoutes.Scale, JsonContent.Create(request, CliJson.Api.Info<ScaleRequest>()), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<IReadOnlyList<ServiceInfo>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every release of a service the server keeps (404 for an unknown service).</summary>
    public Task<IReadOnlyList<ReleaseInfo>> ListReleasesAsync(string service, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ReleaseInfo>>(ApiRoutes.Releases(service), cancellationToken);

    /// <summary>The service's latest rollout (404 when it has none, or for an unknown service).</summary>
    public Task<RolloutInfo> GetRolloutAsync(string service, CancellationToken cancellationToken) =>
        GetAsync<RolloutInfo>(ApiRoutes.Rollout(service), cancellationToken);

    /// <summary>The latest rollout, or null when the server answers 404 (e.g. a first release, which has no rollout).</summary>
    public async Task<RolloutInfo?> FindRolloutAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            return await GetRolloutAsync(service, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Pauses the active rollout (409 when there is nothing to pause).</summary>
    public Task<RolloutInfo> PauseRolloutAsync(string service, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.RolloutPause(service), body: null, cancellationToken);

    /// <summary>Resumes a paused rollout (409 when there is nothing to resume).</summary>
    public Task<RolloutInfo> ResumeRolloutAsync(string service, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.RolloutResume(service), body: null, cancellationToken);

    /// <summary>Starts an aborted blue/green or canary rollout again (409 when the latest rollout is not an aborted one); returns the new rollout.</summary>
    public Task<RolloutInfo> RetryRolloutAsync(string service, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.RolloutRetry(service), body: null, cancellationToken);

    /// <summary>Starts a rollback (400 for an unknown release, 404 for an unknown service); returns the new rollout.</summary>
    public Task<RolloutInfo> RollbackAsync(string service, RollbackRequest request, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.Rollback(service), JsonContent.Create(request, CliJson.Api.Info<RollbackRequest>()), cancellationToken);

    /// <summary>Asks the engine to promote the blue/green or canary rollout (409 when none waits); returns the rollout.</summary>
    public Task<RolloutInfo> PromoteAsync(string service, PromoteRequest request, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.Promote(service), JsonContent.Create(request, CliJson.Api.Info<PromoteRequest>()), cancellationToken);

    /// <summary>Aborts the blue/green or canary rollout (409 when there is nothing to abort); returns the rollout.</summary>
    public Task<RolloutInfo> AbortAsync(string service, CancellationToken cancellationToken) =>
        PostAsync<RolloutInfo>(ApiRoutes.Abort(service), body: null, cancellationToken);

    /// <summary>The report of the rollout to <paramref name="release"/> (default: the latest blue/green or canary one).</summary>
    public Task<RolloutReport> GetRolloutReportAsync(string service, int? release, CancellationToken cancellationToken) =>
        GetAsync<RolloutReport>(ApiRoutes.RolloutReport(service) + Query(("release", release?.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>Replicas of a stack or service; with <paramref name="all"/>, exited and stopped ones kept as history too.</summary>
    public Task<IReadOnlyList<ReplicaInfo>> ListReplicasAsync(string? stack, string? service, CancellationToken cancellationToken, bool all = false) =>
        GetAsync<IReadOnlyList<ReplicaInfo>>(ApiRoutes.Replicas + Query(("stack", stack), ("service", service), ("all", all ? "true" : null)), cancellationToken);

    public async Task KillReplicaAsync(string replicaId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, ApiRoutes.ReplicaKill(replicaId), body: null, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<NodeInfo>>(ApiRoutes.Nodes, cancellationToken);

    /// <summary>
    /// The event log (NDJSON): events after sequence number <paramref name="after"/>, at or after the time
    /// <paramref name="since"/>, only the newest <paramref name="tail"/> of them when given (0: none of the past);
    /// with <paramref name="follow"/> it runs until cancelled.
    /// </summary>
    public IAsyncEnumerable<EventInfo> StreamEventsAsync(bool follow, long? after, DateTimeOffset? since, string? service, int? tail, CancellationToken cancellationToken) =>
        StreamAsync<EventInfo>(
            ApiRoutes.Events + Query(
                ("follow", follow ? "true" : null),
                ("after", after?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("tail", tail?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("since", since is { } time ? ApiTime.Format(time) : null),
                ("service", service)),
            cancellationToken);

    /// <summary>A service's log lines (NDJSON), of replicas still writing at <paramref name="since"/>; with <paramref name="follow"/> it runs until cancelled.</summary>
    public IAsyncEnumerable<LogEntry> StreamLogsAsync(string service, int? tail, DateTimeOffset? since, bool follow, CancellationToken cancellationToken) =>
        StreamAsync<LogEntry>(
            ApiRoutes.ServiceLogs(service) + Query(
                ("tail", tail?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("since", since is { } time ? ApiTime.Format(time) : null),
                ("follow", follow ? "true" : null)),
            cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, body: null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> PostAsync<T>(string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var response = await SendCoreAsync(method, path, body, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, path, body: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The server went away in the middle of a stream.
                    throw new ServerUnreachableException(Host, ex);
                }

                if (line is null)
                {
                    yield break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                yield return JsonSerializer.Deserialize(line, CliJson.Api.Info<T>())
                    ?? throw new InvalidDataException($"The server sent a null {typeof(T).Name} in a stream.");
            }
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string path, HttpContent? body, HttpCompletionOption completion, CancellationToken requestToken, CancellationToken callerToken)
    {
        await FindLocalCredentialAsync(requestToken, callerToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return await SendRawAsync(request, completion, requestToken, callerToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken requestToken, CancellationToken callerToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, requestToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw (Exception?)TransportDiagnosis.Explain(Host, ex, _trust) ?? new ServerUnreachableException(Host, ex);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested)
        {
            // Our own timeout, not the caller's cancellation: the server did not answer.
            throw new ServerUnreachableException(Host, ex);
        }
    }

    /// <summary>
    /// With no token and a server on this machine: asks GET /healthz where the server's local admin token is, and
    /// reads it if this user may (once per client). Any failure leaves the client without a token: the server's
    /// 401 then says what is missing.
    /// </summary>
    private async Task FindLocalCredentialAsync(CancellationToken requestToken, CancellationToken callerToken)
    {
        if (_localCredentialLooked || !Connection.MayUseLocalCredential)
        {
            return;
        }

        _localCredentialLooked = true;
        using var probe = new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Health.TrimStart('/'));
        using var response = await SendRawAsync(probe, HttpCompletionOption.ResponseContentRead, requestToken, callerToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        HealthInfo? health;
        try
        {
            health = await response.Content.ReadFromJsonAsync(CliJson.Api.Info<HealthInfo>(), requestToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return;
        }

        if (health?.LocalCredential is not { } file)
        {
            return;
        }

        try
        {
            _token = (await File.ReadAllTextAsync(file, requestToken).ConfigureAwait(false)).Trim();
            _tokenSource = $"the local server's admin token ({file})";
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            _tokenSource = $"no token: the local server's admin token {file} is not readable by this user " +
                "(run berth as the server's user, or use a token from `berth token create`)";
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ErrorResponse? error = null;
        try
        {
            // Read through ErrorBody: ErrorResponse has two constructors, which System.Text.Json refuses to choose between.
            var body = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, CliJson.Api.Info<ErrorBody>());
            error = body?.Error is { Length: > 0 } message ? new ErrorResponse(message, body.Details ?? []) : null;
        }
        catch (JsonException)
        {
            // Not an ErrorResponse (a proxy's HTML page, say): fall back to the status line below.
        }

        if (error is null)
        {
            error = new ErrorResponse($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        throw new BerthApiException(response.StatusCode, error)
        {
            CredentialSource = _tokenSource,
            RetryAfter = response.Headers.RetryAfter?.Delta,
        };
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            throw new InvalidDataException($"The server sent no {typeof(T).Name}.");
        }

        return await response.Content.ReadFromJsonAsync(CliJson.Api.Info<T>(), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The server sent a null {typeof(T).Name}.");
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).ToList();
        return present.Count == 0
            ? string.Empty
            : "?" + string.Join('&', present.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
    }
}
