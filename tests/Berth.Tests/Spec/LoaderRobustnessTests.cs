using System.Text;
using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class LoaderRobustnessTests : IDisposable
{
    private const string Seed = """
        x-base: &base
          labels: [a=b]
        secrets:
          s: {file: ./s.txt}
        services:
          app:
            <<: *base
            image: "app:${TAG:-1}"
            command: run "x y"
            ports: ["8080:80", {target: 81}]
            environment: {A: 1, B: $$x}
            healthcheck: {test: [CMD, true], interval: 10s}
            depends_on: {db: {condition: service_healthy}}
            secrets: [s]
            deploy: {replicas: 2, update_config: {parallelism: 1, order: start-first}, resources: {limits: {memory: 1g}}}
            x-berth: {process: {command: ./run}, health: {http_path: /h}}
          db:
            image: pg
        """;

    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_MutatedInputs_NeverThrow()
    {
        var random = new Random(1234);
        var bytes = Encoding.UTF8.GetBytes(Seed);
        const string alphabet = "{}[]:,-&*!|>'\"#$%@`?\n\t ~<=\\\0abc019";
        for (var i = 0; i < 300; i++)
        {
            var mutated = (byte[])bytes.Clone();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)alphabet[random.Next(alphabet.Length)];
            }

            var file = _dir.WriteBytes($"c{i}.yaml", mutated);
            var result = await _dir.LoadFilesAsync([file]);

            Assert.True(result.Succeeded || result.Errors.Any(), $"no spec and no error for mutation {i}");
        }
    }

    [Fact]
    public async Task LoadAsync_InvalidPathCharacters_ReportedNotThrown()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    build: \"bad\\0path\"\n");

        Assert.Null(result.Spec);
        SpecAssert.SingleError(result, "services.app.build.context");
    }

    [Fact]
    public async Task LoadAsync_NoFiles_ReportsError()
    {
        var result = await new ComposeLoader().LoadAsync(new ComposeLoadRequest { Files = [], Environment = new Dictionary<string, string>() }, CancellationToken.None);

        Assert.Single(result.Errors);
    }
}
