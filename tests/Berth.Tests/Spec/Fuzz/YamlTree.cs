using System.Text;

namespace Berth.Tests.Spec.Fuzz;

/// <summary>A small YAML document model for generated compose files, rendered in block or flow style.</summary>
internal abstract record YamlTree
{
    /// <summary>An anchor (<c>&amp;name</c>) put before the node, or null.</summary>
    public string? Anchor { get; init; }

    public string Render()
    {
        var sb = new StringBuilder();
        if (this is YamlMap map)
        {
            map.WriteBlock(sb, 0);
        }
        else
        {
            sb.Append(Flow()).Append('\n');
        }

        return sb.ToString();
    }

    public abstract string Flow();

    protected string AnchorPrefix => Anchor is null ? "" : $"&{Anchor} ";

    /// <summary>Whether the node is written on the key's line (scalars, aliases, flow collections).</summary>
    public virtual bool Inline => true;

    public virtual void WriteBlock(StringBuilder sb, int indent) => sb.Append(Flow());
}

/// <summary>A scalar, already spelled as YAML (<c>8080</c>, <c>"8080:80"</c>, <c>'it''s'</c>).</summary>
internal sealed record YamlScalar(string Text) : YamlTree
{
    public override string Flow() => AnchorPrefix + Text;
}

/// <summary>An alias to an anchor (<c>*name</c>).</summary>
internal sealed record YamlAlias(string Name) : YamlTree
{
    public override string Flow() => "*" + Name;
}

/// <summary>A sequence; <see cref="FlowStyle"/> writes it as <c>[a, b]</c>.</summary>
internal sealed record YamlSeq(IReadOnlyList<YamlTree> Items, bool FlowStyle = false) : YamlTree
{
    public override bool Inline => FlowStyle || Items.Count == 0;

    public override string Flow() => AnchorPrefix + "[" + string.Join(", ", Items.Select(i => i.Flow())) + "]";

    public override void WriteBlock(StringBuilder sb, int indent)
    {
        if (Inline)
        {
            sb.Append(Flow());
            return;
        }

        if (Anchor is not null)
        {
            sb.Append(AnchorPrefix.TrimEnd());
        }

        foreach (var item in Items)
        {
            sb.Append('\n').Append(' ', indent).Append("- ");
            if (item is YamlMap { Inline: false } map)
            {
                map.WriteBlockInList(sb, indent + 2);
            }
            else
            {
                item.WriteBlock(sb, indent + 2);
            }
        }
    }
}

/// <summary>A mapping in key order; <see cref="FlowStyle"/> writes it as <c>{a: 1}</c>.</summary>
internal sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlTree>> Entries, bool FlowStyle = false) : YamlTree
{
    public override bool Inline => FlowStyle || Entries.Count == 0;

    public override string Flow() => AnchorPrefix + "{" + string.Join(", ", Entries.Select(e => $"{e.Key}: {e.Value.Flow()}")) + "}";

    public override void WriteBlock(StringBuilder sb, int indent)
    {
        if (Inline)
        {
            sb.Append(Flow());
            return;
        }

        var first = true;
        if (Anchor is not null)
        {
            sb.Append(AnchorPrefix.TrimEnd());
            first = false;
        }

        foreach (var (key, value) in Entries)
        {
            if (!first || indent > 0)
            {
                sb.Append('\n').Append(' ', indent);
            }

            first = false;
            WriteEntry(sb, indent, key, value);
        }

        if (indent == 0)
        {
            sb.Append('\n');
        }
    }

    /// <summary>The first entry on the "- " line, the others under it.</summary>
    public void WriteBlockInList(StringBuilder sb, int indent)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('\n').Append(' ', indent);
            }

            WriteEntry(sb, indent, Entries[i].Key, Entries[i].Value);
        }
    }

    private static void WriteEntry(StringBuilder sb, int indent, string key, YamlTree value)
    {
        sb.Append(key).Append(':');
        if (value.Inline)
        {
            sb.Append(' ');
            value.WriteBlock(sb, indent + 2);
        }
        else
        {
            if (value.Anchor is not null)
            {
                sb.Append(' ');
            }

            value.WriteBlock(sb, indent + 2);
        }
    }
}
