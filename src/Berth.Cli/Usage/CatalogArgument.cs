namespace Berth.Cli.Usage;

/// <summary>One positional argument of a command (<c>SERVICE</c>), required or not, one value or many.</summary>
public sealed record CatalogArgument(string Name, bool Required, string ClrType)
{
    /// <summary>Takes every remaining value (<c>scale a=1 b=2</c>).</summary>
    public bool IsVector => ClrType.EndsWith("[]", StringComparison.Ordinal);

    /// <summary>How usage writes it: <c>SERVICE</c>, <c>[STACK]</c>, <c>SERVICE=REPLICAS...</c>.</summary>
    public string Display => (Required ? Name : $"[{Name}]") + (IsVector ? "..." : string.Empty);
}
