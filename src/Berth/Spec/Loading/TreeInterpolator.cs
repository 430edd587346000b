namespace Berth.Spec.Loading;

/// <summary>Applies <see cref="Interpolator"/> to every scalar value of a file's tree (keys are never interpolated).</summary>
internal sealed class TreeInterpolator(Interpolator interpolator, DiagnosticBag diagnostics)
{
    private readonly Dictionary<ComposeNode, ComposeNode> _done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _warnedUnset = [];
    private long _total;

    public MappingNode Interpolate(MappingNode root) => (MappingNode)Visit(root, "");

    private ComposeNode Visit(ComposeNode node, string path)
    {
        // Aliased nodes are shared: interpolate each once.
        if (_done.TryGetValue(node, out var done))
        {
            return done;
        }

        ComposeNode result = node switch
        {
            ScalarNode scalar => VisitScalar(scalar, path),
            SequenceNode sequence => new SequenceNode(sequence.Mark, sequence.Tag, sequence.Items.Select((item, i) => Visit(item, $"{path}[{i}]")).ToList()),
            MappingNode mapping => new MappingNode(mapping.Mark, mapping.Tag, mapping.Entries
                .Select(e => new KeyValuePair<ScalarNode, ComposeNode>(e.Key, Visit(e.Value, KeyPath.Join(path, e.Key.Value!))))
                .ToList()),
            _ => node,
        };
        _done[node] = result;
        return result;
    }

    private ComposeNode VisitScalar(ScalarNode scalar, string path)
    {
        if (scalar.Value is null || !scalar.Value.Contains('$', StringComparison.Ordinal))
        {
            return scalar;
        }

        var result = interpolator.Interpolate(scalar.Value);
        foreach (var name in result.UnsetVariables)
        {
            if (_warnedUnset.Add(name))
            {
                diagnostics.Warning(scalar, path, $"the \"{name}\" variable is not set; defaulting to a blank string");
            }
        }

        if (result.Error is not null)
        {
            diagnostics.Error(scalar, path, result.Error);
            return scalar;
        }

        _total += result.Value!.Length;
        if (_total > LoadLimits.MaxInterpolatedTotal)
        {
            diagnostics.Error(scalar, path, $"interpolation produced more than {LoadLimits.MaxInterpolatedTotal} characters in this file");
            return scalar.WithValue("");
        }

        return scalar.WithValue(result.Value);
    }
}
