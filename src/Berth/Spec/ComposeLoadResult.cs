namespace Berth.Spec;

/// <summary>The outcome of loading compose files: a spec when valid, and every diagnostic found.</summary>
public sealed record ComposeLoadResult(ComposeSpec? Spec, IReadOnlyList<SpecDiagnostic> Diagnostics)
{
    public bool Succeeded => Spec is not null && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
    public IEnumerable<SpecDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
    public IEnumerable<SpecDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);

    /// <summary>
    /// Contents of the granted secrets by name, when <see cref="ComposeLoadRequest.ReadSecretContents"/> was set
    /// (external secrets have none). Never part of <see cref="Spec"/>, so never in what is printed or stored as the spec.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> SecretContents { get; init; } = new Dictionary<string, byte[]>();
}
