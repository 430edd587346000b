using Berth.Spec;
using Berth.Spec.Writing;

namespace Berth.Tests.Spec;

public sealed class ComposeYamlWriterTests : IDisposable
{
    private const string RichCompose = """
        name: articles
        x-common: &common
          labels: [tier=web]
        secrets:
          db_password:
            file: ./db.txt
        services:
          web:
            <<: *common
            image: articles-web:${TAG:-1}
            command: serve --port 80 --greeting "hello world"
            ports: ["8080:80", {target: 443, published: 8443, mode: host}]
            environment:
              - GREETING=cost $$5
              - UNSET_VAR
              - QUOTED="yes"
            healthcheck:
              test: curl -f http://localhost/
              interval: 90s
            depends_on:
              api:
                condition: service_healthy
            secrets:
              - source: db_password
                mode: 0400
            deploy:
              replicas: 3
              update_config: {parallelism: 2, monitor: 1500ms, max_failure_ratio: 0.1}
              resources: {limits: {cpus: 0.5, memory: 512M}}
              placement: {constraints: [node.role==worker], preferences: [{spread: node.labels.zone}]}
            x-team: {owner: ops, count: 3, flags: [true, null, "007"]}
          api:
            build: {context: ./api, args: {V: "1"}}
            stop_grace_period: 1h2m3s
            x-berth:
              process:
                command: ["dotnet", "Api.dll", "--urls", "http://127.0.0.1:${PORT}"]
                environment: {MODE: "true"}
              health: {http_path: /healthz}
        """;

    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_SeedSpec_PrintsNormalizedYaml()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  app:\n    image: articles:1\n    ports: [\"8080:8080\"]\n    deploy:\n      replicas: 3\n      update_config: {monitor: 15s, delay: 1m30s}\n"));

        var yaml = ComposeYamlWriter.Write(spec);

        Assert.Equal("""
            services:
              app:
                deploy:
                  endpoint_mode: vip
                  mode: replicated
                  replicas: 3
                  restart_policy:
                    condition: any
                    delay: 5s
                  rollback_config:
                    delay: 0s
                    failure_action: pause
                    max_failure_ratio: 0
                    monitor: 5s
                    order: stop-first
                    parallelism: 1
                  update_config:
                    delay: 1m30s
                    failure_action: pause
                    max_failure_ratio: 0
                    monitor: 15s
                    order: stop-first
                    parallelism: 1
                image: articles:1
                ports:
                  - mode: ingress
                    protocol: tcp
                    published: 8080
                    target: 8080
                stop_grace_period: 10s

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_RichSpec_RoundTripsToSameOutput()
    {
        var first = SpecAssert.Succeeds(await _dir.LoadAsync(RichCompose));
        var written = ComposeYamlWriter.Write(first);

        var reloaded = await _dir.LoadFilesAsync([_dir.Write("written.yaml", written)]);

        var second = SpecAssert.Succeeds(reloaded);
        Assert.Equal(written, ComposeYamlWriter.Write(second));
        Assert.Equal("cost $5", second.Services["web"].Environment["GREETING"]);
        Assert.Null(second.Services["web"].Environment["UNSET_VAR"]);
        Assert.Equal(["serve", "--port", "80", "--greeting", "hello world"], second.Services["web"].Command!);
        Assert.Equal(["dotnet", "Api.dll", "--urls", "http://127.0.0.1:${PORT}"], second.Services["api"].Berth.Process!.Command);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), second.Services["web"].Deploy.UpdateConfig.Monitor);
        Assert.Equal(256, second.Services["web"].Secrets[0].Mode);
    }

    [Fact]
    public async Task Write_RichSpec_SortsServicesAndQuotesAmbiguousStrings()
    {
        var yaml = ComposeYamlWriter.Write(SpecAssert.Succeeds(await _dir.LoadAsync(RichCompose)));

        Assert.True(yaml.IndexOf("  api:", StringComparison.Ordinal) < yaml.IndexOf("  web:", StringComparison.Ordinal), yaml);
        Assert.Contains("MODE: \"true\"", yaml, StringComparison.Ordinal);
        Assert.Contains("GREETING: cost $$5", yaml, StringComparison.Ordinal);
        Assert.Contains("stop_grace_period: 1h2m3s", yaml, StringComparison.Ordinal);
        Assert.Contains("monitor: 1.5s", yaml, StringComparison.Ordinal);
        Assert.Contains("x-berth:", yaml, StringComparison.Ordinal);
        Assert.Contains("- \"007\"", yaml, StringComparison.Ordinal);
        Assert.Contains("name: articles", yaml, StringComparison.Ordinal);
    }
}
