using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>
/// A test copy of examples/articles/docker-compose.swarm.yml (the seed's lab: replicas 2, restart_policy any, a
/// start-first update_config) on the test image, with shorter healthcheck and update timings, and an optional
/// strategy block (YAML under x-berth) for canary and blue/green tests; <c>HostIp</c> is the published port's host_ip.
/// </summary>
internal sealed record SwarmLabCompose(TempDirectory Dir, int Port, string? Strategy = null, string? HostIp = null)
{
    /// <summary>Writes version <paramref name="version"/> with <paramref name="replicas"/> replicas; <paramref name="failRate"/> makes it bad.</summary>
    public string Write(string version, int replicas = 2, double failRate = 0) => Dir.File($"swarm-v{version}-r{replicas}.yml", $$"""
        services:
          app:
            image: {{ArticlesImage.Tag}}
            ports: ["{{(HostIp is null ? "" : HostIp + ":")}}{{Port}}:8080"]
            environment:
              ARTICLES_VERSION: "{{version}}"
              ARTICLES_FAIL_RATE: "{{failRate.ToString(CultureInfo.InvariantCulture)}}"
              ARTICLES_DB: /tmp/articles.db
            healthcheck:
              test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
              interval: 1s
              timeout: 5s
              retries: 5
              start_period: 30s
            stop_grace_period: 5s
            deploy:
              mode: replicated
              replicas: {{replicas}}
              restart_policy:
                condition: any
                delay: 1s
              update_config:
                parallelism: 2
                order: start-first
                monitor: 2s
                delay: 1s
                failure_action: rollback
            x-berth:
              health:
                http_path: /healthz
              router:
                user_header: X-User
              {{Indent(Strategy ?? "", 6)}}
        """);

    private static string Indent(string yaml, int spaces) =>
        string.Join('\n', yaml.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select((line, i) => i == 0 ? line : new string(' ', spaces) + line));
}
