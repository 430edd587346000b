using Berth.Tests.Infrastructure;

namespace Berth.Tests.Reliability;

/// <summary>
/// The example app as the rollout reliability tests deploy it: three replicas on a published loopback port, quick
/// health checks, a start-first rolling update, and the strategy's own x-berth lines.
/// </summary>
internal static class ReliabilityCompose
{
    public const int Replicas = 3;

    /// <summary>Blue/green, promoted as soon as green is ready; blue kept 2 s.</summary>
    public const string BlueGreen = """
              strategy: blue-green
              blue_green:
                auto_promote: true
                scale_down_delay: 2s
                progress_deadline: 60s
        """;

    /// <summary>Writes compose-VERSION.yml: ARTICLES_VERSION=<paramref name="version"/>, the strategy lines under x-berth.</summary>
    public static string Write(TempDirectory dir, int port, int version, string strategy, string failRate = "0") =>
        dir.File($"compose-{version}.yml", $$"""
            services:
              app:
                ports: ["{{port}}:8080"]
                environment:
                  ARTICLES_VERSION: "{{version}}"
                  ARTICLES_FAIL_RATE: "{{failRate}}"
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
                    delay: 0s
                  update_config:
                    parallelism: 1
                    order: start-first
                    monitor: 1s
                stop_grace_period: 2s
                x-berth:
            {{strategy}}
                  process:
                    command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                    environment:
                      ARTICLES_DB: {{Path.Combine(dir.Path, "articles.db")}}
                  health:
                    http_path: /healthz
            """);
}
