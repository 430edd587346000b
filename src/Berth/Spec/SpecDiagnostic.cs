namespace Berth.Spec;

/// <summary>An error or warning about a compose file, pointing at file, line, column and key path.</summary>
public sealed record SpecDiagnostic(
    DiagnosticSeverity Severity,
    string File,
    int Line,
    int Column,
    string Path,
    string Message)
{
    /// <summary>"file:line:col: error: services.app.deploy.replicas: must be >= 0".</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return string.IsNullOrEmpty(Path) ? $"{where}: {severity}: {Message}" : $"{where}: {severity}: {Path}: {Message}";
    }
}

/// <summary>How bad a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
}
