using Berth.Spec.Loading;
using Berth.Spec.Schema;

namespace Berth.Spec;

/// <summary>Loads compose files into a validated <see cref="ComposeSpec"/>: parse, merge, interpolate, normalize, validate.</summary>
public sealed class ComposeLoader
{
    /// <summary>Loads and validates; never throws for a user mistake (those are diagnostics).</summary>
    public async Task<ComposeLoadResult> LoadAsync(ComposeLoadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schema = ComposeSchema.LoadAsync();
        var diagnostics = new DiagnosticBag();
        if (request.Files.Count == 0)
        {
            diagnostics.Error(SourceMark.None, "", "no compose file given");
            return new ComposeLoadResult(null, diagnostics.Items);
        }

        var variables = await VariableSources.BuildAsync(request, diagnostics, cancellationToken).ConfigureAwait(false);
        var interpolator = new Interpolator(name => variables.TryGetValue(name, out var value) ? value : null);
        var roots = new List<MappingNode>();
        var schemaFindings = new List<SchemaFinding>();
        foreach (var file in request.Files)
        {
            var text = await BoundedFileReader.ReadTextAsync(file, file, "compose file", diagnostics, cancellationToken).ConfigureAwait(false);
            if (text is null || YamlDocumentReader.Read(text, file, diagnostics) is not { } root)
            {
                continue;
            }

            // Each file is interpolated on its own, then merged, as docker compose does.
            var interpolated = new TreeInterpolator(interpolator, diagnostics).Interpolate(root);

            // Like compose-go: the schema judges each file as written (interpolated, short forms kept).
            schemaFindings.AddRange(ComposeSchemaValidator.Validate(interpolated, await schema.ConfigureAwait(false)));
            roots.Add(ComposeCanonicalizer.Canonicalize(interpolated));
        }

        if (diagnostics.HasErrors || roots.Count != request.Files.Count)
        {
            ComposeSchemaValidator.AddUncovered(schemaFindings, diagnostics);
            return new ComposeLoadResult(null, diagnostics.Items);
        }

        var merged = ComposeMerger.Merge(roots);
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(request.Files[0]))!;
        var reader = new NodeReader(diagnostics, variables, projectDirectory);
        var sourceFiles = request.Files.Select(Path.GetFullPath).ToList();
        var spec = await new ComposeSpecBuilder(reader).BuildAsync(merged, sourceFiles, cancellationToken).ConfigureAwait(false);

        if (request.ForDeploy)
        {
            UnroutablePortValidator.Validate(merged, diagnostics);
        }

        // Berth's own checks speak first (they know the key); the schema adds what they do not check.
        ComposeSchemaValidator.AddUncovered(schemaFindings, diagnostics);
        if (spec is null || diagnostics.HasErrors || !request.ReadSecretContents)
        {
            return new ComposeLoadResult(diagnostics.HasErrors ? null : spec, diagnostics.Items);
        }

        var secrets = await SecretContentReader.ReadAsync(merged, spec, variables, diagnostics, cancellationToken).ConfigureAwait(false);
        return new ComposeLoadResult(diagnostics.HasErrors ? null : spec, diagnostics.Items) { SecretContents = diagnostics.HasErrors ? new Dictionary<string, byte[]>() : secrets };
    }
}
