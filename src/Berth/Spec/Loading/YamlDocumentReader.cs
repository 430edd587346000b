using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Berth.Spec.Loading;

/// <summary>Parses one compose file's text into a <see cref="MappingNode"/>, with bounded depth and alias expansion.</summary>
internal static class YamlDocumentReader
{
    /// <summary>Returns the root mapping, or null after adding diagnostics (malformed YAML, limits, wrong root kind).</summary>
    public static MappingNode? Read(string text, string displayName, DiagnosticBag diagnostics)
    {
        try
        {
            // YamlStream builds its tree recursively: refuse deep nesting first, with a flat event scan.
            if (!CheckDepth(text, displayName, diagnostics))
            {
                return null;
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                throw new YamlException(Mark.Empty, Mark.Empty, ex.Message);
            }

            if (stream.Documents.Count == 0)
            {
                diagnostics.Error(new SourceMark(displayName, 1, 1), "", "the file is empty; a compose file needs a top-level services mapping");
                return null;
            }

            if (stream.Documents.Count > 1)
            {
                var second = stream.Documents[1].RootNode.Start;
                diagnostics.Error(new SourceMark(displayName, (int)second.Line, (int)second.Column), "", "a compose file must hold a single YAML document (found a second one)");
                return null;
            }

            var root = new YamlNodeConverter(displayName, diagnostics).Convert(stream.Documents[0].RootNode);
            if (root is null)
            {
                return null;
            }

            if (root is not MappingNode mapping)
            {
                diagnostics.Error(root, "", $"the top level must be a mapping with a services key (got {root.KindName})");
                return null;
            }

            return mapping;
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            diagnostics.Error(LocateError(text, displayName, ex), "", $"invalid YAML: {message}");
            return null;
        }
    }

    private static SourceMark LocateError(string text, string displayName, YamlException ex)
    {
        // YamlDotNet points at the enclosing mapping for a tab in indentation; the offending line is more useful.
        if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0 && tab < indent)
                {
                    return new SourceMark(displayName, i + 1, tab + 1);
                }
            }
        }

        return new SourceMark(displayName, (int)ex.Start.Line, (int)ex.Start.Column);
    }

    private static bool CheckDepth(string text, string displayName, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var last = Mark.Empty;
        while (MoveNext(parser, last))
        {
            last = parser.Current!.End;
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    depth++;
                    if (depth > LoadLimits.MaxDepth)
                    {
                        var start = parser.Current!.Start;
                        diagnostics.Error(new SourceMark(displayName, (int)start.Line, (int)start.Column), "", $"nesting is deeper than {LoadLimits.MaxDepth} levels");
                        return false;
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return true;
    }

    /// <summary>YamlDotNet's scanner sometimes fails without a position; report it after the last good event.</summary>
    private static bool MoveNext(Parser parser, Mark last)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new YamlException(last, last, $"the YAML is malformed after line {last.Line} ({ex.Message})");
        }
    }
}
