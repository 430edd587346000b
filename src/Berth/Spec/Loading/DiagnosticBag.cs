namespace Berth.Spec.Loading;

/// <summary>Collects every error and warning of one load, so all of them are reported at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<SpecDiagnostic> _items = [];
    private readonly HashSet<string> _seen = [];

    public IReadOnlyList<SpecDiagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

    public void Error(SourceMark mark, string path, string message) => Add(DiagnosticSeverity.Error, mark, path, message);

    public void Warning(SourceMark mark, string path, string message) => Add(DiagnosticSeverity.Warning, mark, path, message);

    public void Error(ComposeNode node, string path, string message) => Error(node.Mark, path, message);

    public void Warning(ComposeNode node, string path, string message) => Warning(node.Mark, path, message);

    private void Add(DiagnosticSeverity severity, SourceMark mark, string path, string message)
    {
        var diagnostic = new SpecDiagnostic(severity, mark.File, mark.Line, mark.Column, path, message);

        // The same node may be reached twice through an alias; say it once.
        if (_seen.Add(diagnostic.ToString()))
        {
            _items.Add(diagnostic);
        }
    }
}
