using Berth.Cli.Compose;
using Berth.Spec;

namespace Berth.Tests.Cli;

/// <summary>Returns a canned load result instead of reading files; records what it was asked.</summary>
internal sealed class FakeComposeLoading : IComposeLoading
{
    private readonly ComposeLoadResult _result;

    public FakeComposeLoading(ComposeLoadResult result)
    {
        _result = result;
    }

    public List<ComposeLoadRequest> Requests { get; } = [];

    public static ComposeSpec ArticlesSpec { get; } = new()
    {
        Services = new Dictionary<string, ServiceSpec>
        {
            ["app"] = new() { Name = "app", Image = "articles/app:2" },
            ["db"] = new() { Name = "db", Image = "postgres:16" },
        },
    };

    public static FakeComposeLoading Valid(params SpecDiagnostic[] warnings) => new(new ComposeLoadResult(ArticlesSpec, warnings));

    public static FakeComposeLoading Invalid(params SpecDiagnostic[] diagnostics) => new(new ComposeLoadResult(null, diagnostics));

    public Task<ComposeLoadResult> LoadAsync(ComposeLoadRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(_result);
    }

    public string WriteYaml(ComposeSpec spec) => "services:\n  app:\n    image: articles/app:2\n";
}
