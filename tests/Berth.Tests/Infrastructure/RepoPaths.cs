namespace Berth.Tests.Infrastructure;

/// <summary>Where the repository and its build outputs are, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>debug or release, matching the test assembly's own build.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string CliDll => Output("Berth.Cli", "Berth.Cli.dll");

    public static string ArticlesDll => Output("Articles", "Articles.dll");

    /// <summary>The server executable's build output (Berth.Server.dll, with everything it loads beside it).</summary>
    public static string ServerDll => Output("Berth.Server", "Berth.Server.dll");

    public static string ExampleCompose => Path.Combine(Root, "examples", "articles", "docker-compose.yml");

    public static string DotnetHost
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>The dotnet host as an absolute path (for launchers such as setpriv that do not search PATH the same way).</summary>
    public static string DotnetHostPath()
    {
        var host = DotnetHost;
        if (Path.IsPathRooted(host))
        {
            return host;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, host))
            .FirstOrDefault(File.Exists) ?? host;
    }

    private static string Output(string project, string file)
    {
        var candidates = new[] { Configuration, "debug", "release" }.Select(c => Path.Combine(Root, "artifacts", "bin", project, c, file));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{file} not found under artifacts/bin/{project}; build the solution first");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"Berth.slnx not found above {AppContext.BaseDirectory}");
    }
}
