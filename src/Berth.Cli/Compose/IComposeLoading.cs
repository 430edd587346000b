using Berth.Spec;

namespace Berth.Cli.Compose;

/// <summary>How the CLI loads and prints compose files; a seam so tests can substitute the real loader.</summary>
public interface IComposeLoading
{
    /// <summary>Loads, merges, interpolates and validates; user mistakes come back as diagnostics.</summary>
    Task<ComposeLoadResult> LoadAsync(ComposeLoadRequest request, CancellationToken cancellationToken);

    /// <summary>The spec as normalized compose YAML.</summary>
    string WriteYaml(ComposeSpec spec);
}
