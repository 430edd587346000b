namespace Berth.Spec.Loading;

/// <summary>Collects every error and warning of one load, so all of them are reported at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<SpecDiagnostic> _items = [];
    private readonly HashSet<string> _seen = [];
    private bool _hasErrors;

    public IReadOnlyList<SpecDiagnostic> Items => _items;

    public bool HasErrors => _hasErrors;

    public void Error(SourceMark mark, string path, string message) => Add(DiagnosticSeverity.Error, mark, path, message);

    public void Warning(SourceMark mark, string path, string message) => Add(DiagnosticSeverity.Warning, mark, path, message);

    public void Error(ComposeNode node, string path, string message) => Error(node.Mark, path, message);

    public void Warning(ComposeNode node, string path, string message) => Warning(node.Mark, path, message);

    private void Add(DiagnosticSeverity severity, SourceMark mark, string path, string message)
    {
        _hasErrors |= severity == DiagnosticSeverity.Error;
        if (_items.Count > LoadLimits.MaxDiagnostics)
        {
            return;
        }

        if (_items.Count == LoadLimits.MaxDiagnostics)
        {
            // A hostile or badly broken file must not produce an unbounded report.
            _items.Add(new SpecDiagnostic(DiagnosticSeverity.Error, mark.File, mark.Line, mark.Column, "", $"more than {LoadLimits.MaxDiagnostics} problems; fix these first"));
            _hasErrors = true;
            return;
        }

        var diagnostic = new SpecDiagnostic(severity, mark.File, mark.Line, mark.Column, path, message);

        // The same node may be reached twice through an alias; say it once.
        if (_seen.Add(diagnostic.ToString()))
        {
            _items.Add(diagnostic);
        }
    }
}
