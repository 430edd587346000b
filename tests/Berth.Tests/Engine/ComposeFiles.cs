using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>Compose files for engine tests: the real articles app, or a shell command, on the process runtime.</summary>
internal static class ComposeFiles
{
    public static string Articles(TempDirectory dir, int replicas = 3, string restart = "condition: any\n        delay: 1s", string version = "1", bool crashOnStart = false) =>
        dir.File($"docker-compose-{version}.yml", $$"""
            services:
              app:
                image: articles:{{version}}
                environment:
                  ARTICLES_VERSION: "{{version}}"
                  ARTICLES_CRASH_ON_START: "{{(crashOnStart ? "1" : "0")}}"
                healthcheck:
                  interval: 1s
                  timeout: 2s
                  retries: 3
                  start_period: 30s
                  start_interval: 200ms
                deploy:
                  replicas: {{replicas}}
                  restart_policy:
                    {{restart}}
                stop_grace_period: 5s
                x-berth:
                  process:
                    command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                    environment:
                      ARTICLES_DB: {{Path.Combine(dir.Path, "articles.db")}}
                  health:
                    http_path: /healthz
            """);

    public static string Shell(TempDirectory dir, string command, int replicas, string restart) =>
        dir.File("docker-compose.yml", $$"""
            services:
              job:
                deploy:
                  replicas: {{replicas}}
                  restart_policy:
                    {{restart}}
                stop_grace_period: 2s
                x-berth:
                  process:
                    command: "{{command}}"
            """);
}
