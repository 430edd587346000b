using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Strategies;

/// <summary>The articles app behind a front door with a blue/green or canary strategy (YAML under x-berth), for strategy tests.</summary>
internal sealed record StrategyCompose(TempDirectory Dir, int Port, string Strategy, int Replicas = 2)
{
    /// <summary>Writes version <paramref name="version"/>; <paramref name="failRate"/> and <paramref name="latencyMs"/> make it bad.</summary>
    public string Write(string version, double failRate = 0, int latencyMs = 0) => Dir.File($"compose-v{version}.yml", $$"""
        services:
          app:
            ports: ["{{Port}}:8080"]
            environment:
              ARTICLES_VERSION: "{{version}}"
              ARTICLES_FAIL_RATE: "{{failRate.ToString(CultureInfo.InvariantCulture)}}"
              ARTICLES_LATENCY_MS: "{{latencyMs}}"
            healthcheck:
              interval: 1s
              timeout: 2s
              retries: 3
              start_period: 30s
              start_interval: 200ms
            deploy:
              replicas: {{Replicas}}
              restart_policy:
                condition: any
                delay: 1s
            stop_grace_period: 5s
            x-berth:
              process:
                command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                environment:
                  ARTICLES_DB: {{Path.Combine(Dir.Path, "articles.db")}}
              health:
                http_path: /healthz
              router:
                user_header: X-User
              {{Indent(Strategy, 6)}}
        """);

    private static string Indent(string yaml, int spaces) =>
        string.Join('\n', yaml.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select((line, i) => i == 0 ? line : new string(' ', spaces) + line));
}
