namespace Berth.Routing;

/// <summary>
/// The .NET runtime settings a router process gets and the server does not. Both run the same executable
/// (Berth.Server.dll), whose runtimeconfig turns dynamic PGO off: the server's work comes in bursts of many different
/// methods (a deploy JIT-compiles thousands), where instrumenting each hot method before optimizing it costs CPU the
/// replicas starting beside it need (bench/results/swarm-2026-12-07.md, the Reading after the run of 12:58). A router
/// runs one hot path for hours, where the profile pays, so whoever starts one (the server's supervisor, `berth router
/// run`'s hand-over, the router image) sets DOTNET_TieredPGO=1, which the runtime reads before the runtimeconfig.
/// (Installed as the `dotnet tool`, `berth router run` runs in the tool's own process: without it, unless set.)
/// </summary>
public static class RouterProcessEnvironment
{
    public const string TieredPgoVariable = "DOTNET_TieredPGO";

    /// <summary>The variables to add to a router's environment: none that <paramref name="current"/> already sets (a user's own choice wins).</summary>
    public static IReadOnlyDictionary<string, string> For(Func<string, string?> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return string.IsNullOrEmpty(current(TieredPgoVariable))
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [TieredPgoVariable] = "1" }
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
