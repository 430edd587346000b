namespace Berth.Spec;

/// <summary>Loads compose files into a validated <see cref="ComposeSpec"/>: parse, merge, interpolate, normalize, validate.</summary>
public sealed class ComposeLoader
{
    /// <summary>Loads and validates; never throws for a user mistake (those are diagnostics).</summary>
    public Task<ComposeLoadResult> LoadAsync(ComposeLoadRequest request, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("being written");
    }
}
