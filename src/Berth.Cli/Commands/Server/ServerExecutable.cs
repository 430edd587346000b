namespace Berth.Cli.Commands.Server;

/// <summary>
/// The program `berth server` hands over to, and the arguments that come before the server's options: the
/// <c>berth-server</c> executable beside this one (the package), or <c>dotnet Berth.Server.dll</c> beside it or in the
/// build's layout (<c>artifacts/bin/Berth.Server/CONFIG/</c> next to <c>artifacts/bin/Berth.Cli/CONFIG/</c>).
/// <c>BERTH_SERVER</c> names either one explicitly.
/// </summary>
public sealed record ServerExecutable(string Program, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The server's executable in the package, beside the `berth` client.</summary>
    public const string PackagedName = "berth-server";

    /// <summary>The server's assembly, run by the dotnet host.</summary>
    public const string AssemblyName = "Berth.Server.dll";

    /// <summary>The variable that names the server executable or assembly explicitly.</summary>
    public const string Variable = "BERTH_SERVER";

    /// <summary>
    /// Finds the server from <paramref name="clientDirectory"/> (where this client is); null with the places looked at in
    /// <paramref name="searched"/> when there is none.
    /// </summary>
    public static ServerExecutable? Find(IReadOnlyDictionary<string, string> variables, string clientDirectory, out IReadOnlyList<string> searched)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var looked = new List<string>();
        searched = looked;
        if (variables.TryGetValue(Variable, out var named) && !string.IsNullOrWhiteSpace(named))
        {
            looked.Add($"{Variable}={named}");
            return File.Exists(named) ? FromFile(Path.GetFullPath(named), variables) : null;
        }

        var buildLayout = Path.GetFullPath(Path.Combine(clientDirectory, "..", "..", "Berth.Server", new DirectoryInfo(clientDirectory).Name));
        foreach (var candidate in (string[])[Path.Combine(clientDirectory, PackagedName), Path.Combine(clientDirectory, AssemblyName), Path.Combine(buildLayout, AssemblyName)])
        {
            looked.Add(candidate);
            if (File.Exists(candidate))
            {
                return FromFile(candidate, variables);
            }
        }

        return null;
    }

    private static ServerExecutable FromFile(string path, IReadOnlyDictionary<string, string> variables) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ServerExecutable(DotnetHost(variables), [path])
            : new ServerExecutable(path, []);

    /// <summary>The dotnet host that runs this client when it is one, else the one the SDK or PATH names.</summary>
    private static string DotnetHost(IReadOnlyDictionary<string, string> variables)
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        if (variables.TryGetValue("DOTNET_HOST_PATH", out var hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var folders = new List<string>();
        if (variables.TryGetValue("DOTNET_ROOT", out var root) && !string.IsNullOrWhiteSpace(root))
        {
            folders.Add(root);
        }

        if (variables.TryGetValue("PATH", out var path))
        {
            folders.AddRange(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        folders.AddRange(["/usr/share/dotnet", "/usr/lib/dotnet", "/usr/local/share/dotnet"]);
        return folders.Select(f => Path.Combine(f, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";
    }
}
