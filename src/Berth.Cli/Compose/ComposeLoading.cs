using Berth.Spec;
using Berth.Spec.Writing;

namespace Berth.Cli.Compose;

/// <summary>The real <see cref="IComposeLoading"/>: <see cref="ComposeLoader"/> and <see cref="ComposeYamlWriter"/>.</summary>
public sealed class ComposeLoading : IComposeLoading
{
    public Task<ComposeLoadResult> LoadAsync(ComposeLoadRequest request, CancellationToken cancellationToken) =>
        new ComposeLoader().LoadAsync(request, cancellationToken);

    public string WriteYaml(ComposeSpec spec) => ComposeYamlWriter.Write(spec);
}
