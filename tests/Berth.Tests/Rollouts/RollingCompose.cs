using Berth.Tests.Infrastructure;

namespace Berth.Tests.Rollouts;

/// <summary>The articles app behind a front door, with a chosen update_config, for rolling-update tests.</summary>
internal sealed record RollingCompose(TempDirectory Dir, int Port, int Replicas = 3, int Parallelism = 1, string Order = "start-first", string FailureAction = "pause", double MaxFailureRatio = 0, string Monitor = "1s")
{
    public string Write(string version, bool crash = false) => Dir.File($"compose-v{version}{(crash ? "-crash" : "")}.yml", $$"""
        services:
          app:
            ports: ["{{Port}}:8080"]
            environment:
              ARTICLES_VERSION: "{{version}}"
              ARTICLES_CRASH_ON_START: "{{(crash ? "1" : "0")}}"
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
              update_config:
                parallelism: {{Parallelism}}
                order: {{Order}}
                monitor: {{Monitor}}
                delay: 0s
                failure_action: {{FailureAction}}
                max_failure_ratio: {{MaxFailureRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
              rollback_config:
                parallelism: 0
                order: start-first
                monitor: 1s
            stop_grace_period: 5s
            x-berth:
              process:
                command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                environment:
                  ARTICLES_DB: {{Path.Combine(Dir.Path, "articles.db")}}
              health:
                http_path: /healthz
        """);
}
