namespace Berth.Spec.Loading;

/// <summary>Builds the dotted key paths used in diagnostics (<c>services.app.deploy.replicas</c>).</summary>
internal static class KeyPath
{
    public static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
