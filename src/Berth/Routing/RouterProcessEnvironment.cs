namespace Berth.Routing;

/// <summary>
/// The .NET runtime settings a router process gets and the server does not. Both run the same executable
/// (Berth.Server.dll), whose runtimeconfig turns tiered compilation and dynamic PGO off: the server's work comes in
/// bursts of many different methods (a deploy), where re-compiling each method that turns hot costs CPU the replicas
/// starting beside it need; with tiering off, the ReadyToRun code is final and the rest is compiled optimized once
/// (bench/results/swarm-2026-12-07.md, the Reading after the run of 16:38). A router runs one hot path for hours,
/// where tiering and the profile pay, so whoever starts one (the server's supervisor, `berth router run`'s hand-over,
/// the router image) sets DOTNET_TieredCompilation=1 and DOTNET_TieredPGO=1, which the runtime reads before the
/// runtimeconfig. It also leaves YARP's ReadyToRun code aside (DOTNET_ReadyToRunExcludeList): YARP's hot path then
/// climbs from its IL through the instrumented tier, and its final code, built on a full profile, costs about 2 % less
/// CPU per request than the code tiered up from the precompiled one (bench/results/router-2026-12-08.md); its
/// start-up code is compiled at the first front door instead, which a first deploy did not show. (Installed as the
/// `dotnet tool`, `berth router run` runs in the tool's own process: without them, unless set.)
/// </summary>
public static class RouterProcessEnvironment
{
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    public const string TieredPgoVariable = "DOTNET_TieredPGO";

    public const string ReadyToRunExcludeListVariable = "DOTNET_ReadyToRunExcludeList";

    /// <summary>The assemblies whose ReadyToRun code a router does not use (the runtime's list: names separated by ';').</summary>
    public const string ReadyToRunExcluded = "Yarp.ReverseProxy";

    private static readonly (string Name, string Value)[] Defaults =
    [
        (TieredCompilationVariable, "1"),
        (TieredPgoVariable, "1"),
        (ReadyToRunExcludeListVariable, ReadyToRunExcluded),
    ];

    /// <summary>The variables to add to a router's environment: none that <paramref name="current"/> already sets (a user's own choice wins).</summary>
    public static IReadOnlyDictionary<string, string> For(Func<string, string?> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Defaults)
        {
            if (string.IsNullOrEmpty(current(name)))
            {
                variables[name] = value;
            }
        }

        return variables;
    }
}
