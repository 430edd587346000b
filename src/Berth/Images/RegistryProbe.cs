using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Images;

/// <summary>A registry that could not be asked (not running, no route, TLS failure, an answer that is not a registry's).</summary>
public sealed class RegistryUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Asks a registry whether it accepts a login, as <c>docker login</c> does, with no engine: <c>GET /v2/</c>, then the
/// challenge it answers — Basic (a private registry with htpasswd) or a Bearer token service (Docker Hub, GHCR) asked
/// with the login. Plain HTTP only for loopback registries (as docker treats localhost), HTTPS otherwise.
/// </summary>
public static class RegistryProbe
{
    /// <summary>Null when the registry accepts the login; otherwise its refusal.</summary>
    /// <exception cref="RegistryUnreachableException">The registry could not be asked.</exception>
    public static async Task<string?> RefusalAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var name = RegistryName.Normalize(registry);
        var baseUri = BaseUri(name);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = true, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(20) };
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        try
        {
            using var anonymous = await http.GetAsync(baseUri, cancellationToken).ConfigureAwait(false);
            if (anonymous.IsSuccessStatusCode)
            {
                return null;
            }

            if (anonymous.StatusCode != HttpStatusCode.Unauthorized || anonymous.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
            {
                throw new RegistryUnreachableException($"{baseUri} answered {(int)anonymous.StatusCode} {anonymous.ReasonPhrase}, not a registry's /v2/ answer");
            }

            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, baseUri) { Headers = { Authorization = basic } };
                using var answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return answer.IsSuccessStatusCode ? null : Refusal(answer);
            }

            if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && Parameter(challenge.Parameter, "realm") is { } realm)
            {
                var query = $"?account={Uri.EscapeDataString(credentials.Username)}"
                    + (Parameter(challenge.Parameter, "service") is { } service ? $"&service={Uri.EscapeDataString(service)}" : "");
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realm + query)) { Headers = { Authorization = basic } };
                using var answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return answer.IsSuccessStatusCode ? null : Refusal(answer);
            }

            throw new RegistryUnreachableException($"{baseUri} asks for an authentication Berth does not speak ({challenge.Scheme})");
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException($"registry {name} cannot be reached at {baseUri} ({e.Message})", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryUnreachableException($"registry {name} did not answer at {baseUri} within 20 s", e);
        }
    }

    /// <summary>Where a registry's API is: Docker Hub's, or the host over HTTPS (HTTP for loopback).</summary>
    public static Uri BaseUri(string registry)
    {
        var name = RegistryName.Normalize(registry);
        if (name == ImageReference.DockerHub)
        {
            return new Uri("https://registry-1.docker.io/v2/");
        }

        return new Uri($"{(IsLoopback(name) ? "http" : "https")}://{name}/v2/");
    }

    /// <summary>localhost, 127.0.0.0/8 or ::1, with or without a port.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Count(c => c == ':') == 1 ? registry[..registry.IndexOf(':', StringComparison.Ordinal)]
            : registry;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static string Refusal(HttpResponseMessage answer) => $"{(int)answer.StatusCode} {answer.ReasonPhrase}".Trim();

    private static string? Parameter(string? parameters, string name)
    {
        foreach (var part in (parameters ?? "").Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }
}
