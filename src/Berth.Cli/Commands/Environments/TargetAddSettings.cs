using System.ComponentModel;
using Berth.Targets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>
/// `berth target add NAME (--docker-host URL [--docker-tls-ca F --docker-tls-cert F --docker-tls-key F | --docker-cert-path DIR] | --process) [--json]`.
/// The engine's TLS flags carry `docker-` because `--tls-ca` is already the Berth server's CA on every verb.
/// </summary>
public sealed class TargetAddSettings : ApiCommandSettings
{
    /// <summary>The TLS flags that go together, as the messages name them.</summary>
    public const string TlsFlags = "--docker-tls-ca, --docker-tls-cert and --docker-tls-key";

    [CommandArgument(0, "<NAME>")]
    [Description("The target's name, as an environment's target: gives it (letters, digits, '_', '.', '-'; at most 32 characters).")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--docker-host <URL>")]
    [Description("The Swarm manager's Engine API, as DOCKER_HOST: tcp://HOST:2376 (with TLS) or unix:///PATH/docker.sock.")]
    public string? DockerHost { get; init; }

    [CommandOption("--process")]
    [Description("Processes on the server's machine (x-berth.process), for a server whose own runtime is Swarm: instead of --docker-host.")]
    public bool Process { get; init; }

    [CommandOption("--docker-tls-ca <FILE>")]
    [Description("PEM file of the CA that signed the engine's certificate (with --docker-tls-cert and --docker-tls-key).")]
    public string? DockerTlsCa { get; init; }

    [CommandOption("--docker-tls-cert <FILE>")]
    [Description("PEM file of the client certificate Berth presents to the engine.")]
    public string? DockerTlsCert { get; init; }

    [CommandOption("--docker-tls-key <FILE>")]
    [Description("PEM file of that certificate's private key.")]
    public string? DockerTlsKey { get; init; }

    [CommandOption("--docker-cert-path <DIR>")]
    [Description("A folder holding ca.pem, cert.pem and key.pem, as DOCKER_CERT_PATH: instead of the three --docker-tls-* files.")]
    public string? DockerCertPath { get; init; }

    [CommandOption("--json")]
    [Description("Print the added target as a TargetInfo JSON object.")]
    public bool Json { get; init; }

    /// <summary>The engine's CA, client certificate and key files with the flag each came from; empty without TLS.</summary>
    public IReadOnlyList<(string Flag, string Path)> TlsFiles =>
        DockerCertPath is { } folder
            ?
            [
                ("--docker-cert-path", Path.Combine(folder, "ca.pem")),
                ("--docker-cert-path", Path.Combine(folder, "cert.pem")),
                ("--docker-cert-path", Path.Combine(folder, "key.pem")),
            ]
            : DockerTlsCa is null
                ? []
                : [("--docker-tls-ca", DockerTlsCa), ("--docker-tls-cert", DockerTlsCert!), ("--docker-tls-key", DockerTlsKey!)];

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("NAME is required.");
        }
        else if (!Berth.Spec.ResourceNames.IsValid(Name) || Name.Length > TargetRegistry.MaxNameLength)
        {
            problems.Add($"NAME: invalid target name \"{Name}\": {Berth.Spec.ResourceNames.Rule}, at most {TargetRegistry.MaxNameLength} characters.");
        }

        var endpoint = Process ? null : ParseDockerHost(problems);
        if (Process && (DockerHost is not null || DockerCertPath is not null || DockerTlsCa is not null || DockerTlsCert is not null || DockerTlsKey is not null))
        {
            problems.Add("--process runs processes on the server's machine: give it alone, or --docker-host URL (with its TLS files) for a Docker Swarm.");
        }

        var given = new[] { DockerTlsCa, DockerTlsCert, DockerTlsKey };
        if (DockerCertPath is not null && given.Any(f => f is not null))
        {
            problems.Add($"--docker-cert-path DIR stands for DIR/ca.pem, DIR/cert.pem and DIR/key.pem: give it or {TlsFlags}, not both.");
        }
        else if (given.Count(f => f is not null) is 1 or 2)
        {
            var missing = new[] { ("--docker-tls-ca", DockerTlsCa), ("--docker-tls-cert", DockerTlsCert), ("--docker-tls-key", DockerTlsKey) }
                .Where(f => f.Item2 is null).Select(f => f.Item1);
            problems.Add($"{TlsFlags} go together (the engine's CA, the client certificate and its key): give all three, or --docker-cert-path DIR, " +
                $"or none (missing: {string.Join(", ", missing)}).");
        }
        else if (endpoint?.Scheme == "unix" && (DockerCertPath is not null || DockerTlsCa is not null))
        {
            problems.Add("a unix socket takes no TLS: give a tcp:// address to --docker-host, or leave the TLS files out.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }

    private Uri? ParseDockerHost(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(DockerHost))
        {
            problems.Add("--docker-host URL is required: the Swarm manager's Engine API, e.g. --docker-host tcp://10.0.0.5:2376 (or --process for processes on the server's machine).");
            return null;
        }

        if (Uri.TryCreate(DockerHost, UriKind.Absolute, out var endpoint) && TargetRegistry.Schemes.Contains(endpoint.Scheme))
        {
            return endpoint;
        }

        problems.Add($"--docker-host: '{DockerHost}' is not an Engine API address: use tcp://HOST:PORT (2376 with TLS) or unix:///PATH/docker.sock.");
        return null;
    }
}
