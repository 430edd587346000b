using Berth.Spec.Loading;

namespace Berth.Spec.Schema;

/// <summary>
/// Checks one compose file (interpolated, before merging) against the Compose Specification's JSON schema, as
/// compose-go does, and returns what it refuses as located findings.
/// </summary>
internal static class ComposeSchemaValidator
{
    public static IReadOnlyList<SchemaFinding> Validate(MappingNode root) => Validate(root, ComposeSchema.Instance);

    public static IReadOnlyList<SchemaFinding> Validate(MappingNode root, ComposeSchema schema)
    {
        var instance = SchemaInstance.From(root);
        var findings = new List<SchemaFinding>(instance.CastProblems);
        var results = schema.Evaluate(instance.Root);
        if (!results.IsValid)
        {
            findings.AddRange(new SchemaErrorMapper(schema, instance).Map(results));
        }

        return findings;
    }

    /// <summary>
    /// Adds the findings the loader's own checks did not already report: an error at the same key path, or inside
    /// it, is the same problem said more precisely, so the schema's word on it is dropped.
    /// </summary>
    public static void AddUncovered(IEnumerable<SchemaFinding> findings, DiagnosticBag diagnostics)
    {
        var errorPaths = diagnostics.Items.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Path).ToList();
        var errorMarks = diagnostics.Items.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (d.File, d.Line, d.Column)).ToHashSet();
        foreach (var finding in findings.OrderBy(f => f.Mark.File, StringComparer.Ordinal).ThenBy(f => f.Mark.Line).ThenBy(f => f.Mark.Column))
        {
            var covered = finding.Severity == DiagnosticSeverity.Error
                && (errorMarks.Contains((finding.Mark.File, finding.Mark.Line, finding.Mark.Column)) || errorPaths.Any(p => Covers(finding.Path, p)));
            if (covered)
            {
                continue;
            }

            if (finding.Severity == DiagnosticSeverity.Error)
            {
                diagnostics.Error(finding.Mark, finding.Path, finding.Message);
            }
            else
            {
                diagnostics.Warning(finding.Mark, finding.Path, finding.Message);
            }
        }
    }

    private static bool Covers(string schemaPath, string errorPath) =>
        errorPath == schemaPath
        || (errorPath.StartsWith(schemaPath, StringComparison.Ordinal) && errorPath.Length > schemaPath.Length && errorPath[schemaPath.Length] is '.' or '[');
}
