namespace Berth.Spec;

/// <summary>Writes a <see cref="ComposeSpec"/> back as normalized compose YAML (what `berth config` prints).</summary>
public static class ComposeYamlWriter
{
    public static string Write(ComposeSpec spec)
    {
        throw new NotImplementedException("being written");
    }
}
