using Berth.Spec.Loading;

namespace Berth.Spec.Schema;

/// <summary>A problem the Compose schema (or compose's interpolation casts) found, located in the file.</summary>
internal sealed record SchemaFinding(DiagnosticSeverity Severity, SourceMark Mark, string Path, string Message);
