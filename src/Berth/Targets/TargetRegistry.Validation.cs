using Berth.Api;
using Berth.Spec;
using Berth.Store;

namespace Berth.Targets;

public sealed partial class TargetRegistry
{
    /// <summary>The longest target name.</summary>
    public const int MaxNameLength = 32;

    /// <summary>The target a request describes; every problem with it at once.</summary>
    /// <exception cref="ProblemException">The request is not a valid target.</exception>
    public static TargetRecord Validate(TargetAddRequest? request, DateTimeOffset now, string? by)
    {
        if (request is null)
        {
            throw ProblemException.Invalid("the request body must be a TargetAddRequest: {\"name\": …, \"dockerHost\": …}");
        }

        var problems = new List<string>();
        if (string.IsNullOrEmpty(request.Name) || !ResourceNames.IsValid(request.Name) || request.Name.Length > MaxNameLength)
        {
            problems.Add($"name: invalid target name \"{request.Name}\": {ResourceNames.Rule}, at most {MaxNameLength} characters");
        }

        Uri? endpoint = null;
        if (request.Process)
        {
            if (request.DockerHost is not null)
            {
                problems.Add("process: a target runs processes on the server's machine (--process) or a Docker Swarm's services (--docker-host), not both");
            }
        }
        else if (!Uri.TryCreate(request.DockerHost, UriKind.Absolute, out endpoint) || !Schemes.Contains(endpoint.Scheme))
        {
            problems.Add(request.DockerHost is null
                ? "dockerHost: give the Swarm manager's Engine API (--docker-host tcp://HOST:2376), or --process for processes on the server's machine"
                : $"dockerHost: \"{request.DockerHost}\" is not an Engine API address: use tcp://HOST:PORT (2376 with TLS) or unix:///PATH/docker.sock");
        }

        var tls = new[] { request.TlsCa, request.TlsCert, request.TlsKey };
        var given = tls.Count(t => !string.IsNullOrWhiteSpace(t));
        if (given is > 0 and < 3)
        {
            problems.Add("tls: give the engine's CA, the client certificate and its key together (--docker-tls-ca, --docker-tls-cert, --docker-tls-key, or --docker-cert-path DIR), or none of them");
        }

        if (given > 0 && request.Process)
        {
            problems.Add("tls: a process target takes no TLS files");
        }
        else if (given == 3 && endpoint?.Scheme == "unix")
        {
            problems.Add("tls: a unix socket takes no TLS; give a tcp:// address");
        }

        foreach (var (pem, what) in new[] { (request.TlsCa, "tlsCa"), (request.TlsCert, "tlsCert"), (request.TlsKey, "tlsKey") })
        {
            if (given == 3 && !pem!.Contains("-----BEGIN ", StringComparison.Ordinal))
            {
                problems.Add($"{what}: not a PEM text (-----BEGIN …-----)");
            }
        }

        if (problems.Count > 0)
        {
            throw ProblemException.Invalid("invalid target", problems);
        }

        return new TargetRecord(
            request.Name,
            request.Process ? TargetKinds.Process : TargetKinds.Docker,
            request.Process ? null : request.DockerHost,
            given == 3 ? new TargetTls(request.TlsCa!, request.TlsCert!, request.TlsKey!) : null,
            now,
            by);
    }
}
