namespace Berth.Spec.Loading;

/// <summary>Where a node was written: the file as the user named it, 1-based line and column.</summary>
internal sealed record SourceMark(string File, int Line, int Column)
{
    public static readonly SourceMark None = new("", 0, 0);
}

/// <summary>A YAML node after alias and merge-key expansion, carrying its source mark and tag across merges.</summary>
internal abstract class ComposeNode(SourceMark mark, string? tag)
{
    public SourceMark Mark { get; } = mark;

    /// <summary>Explicit tag such as <c>!reset</c> or <c>!override</c>; null when none.</summary>
    public string? Tag { get; } = tag;

    public abstract string KindName { get; }
}

/// <summary>A scalar; <see cref="Value"/> is null for YAML null (<c>~</c>, <c>null</c> or nothing).</summary>
internal sealed class ScalarNode(SourceMark mark, string? tag, string? value, bool plain) : ComposeNode(mark, tag)
{
    public string? Value { get; } = value;

    /// <summary>True for an unquoted scalar (so <c>true</c>, <c>12</c> are typed), false for a quoted one.</summary>
    public bool Plain { get; } = plain;

    public override string KindName => Value is null ? "null" : "a scalar";

    public ScalarNode WithValue(string? value) => new(Mark, Tag, value, Plain);

    public static bool IsNullLiteral(string value, bool plain) =>
        plain && (value.Length == 0 || value is "~" or "null" or "Null" or "NULL");
}

/// <summary>A YAML sequence.</summary>
internal sealed class SequenceNode(SourceMark mark, string? tag, IReadOnlyList<ComposeNode> items) : ComposeNode(mark, tag)
{
    public IReadOnlyList<ComposeNode> Items { get; } = items;

    public override string KindName => "a list";
}

/// <summary>A YAML mapping with scalar keys, in document order.</summary>
internal sealed class MappingNode : ComposeNode
{
    public MappingNode(SourceMark mark, string? tag, IReadOnlyList<KeyValuePair<ScalarNode, ComposeNode>> entries)
        : base(mark, tag)
    {
        Entries = entries;
    }

    public IReadOnlyList<KeyValuePair<ScalarNode, ComposeNode>> Entries { get; }

    public override string KindName => "a mapping";

    public ComposeNode? Get(string key)
    {
        foreach (var (k, v) in Entries)
        {
            if (k.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public ScalarNode? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;
}
