using System.ComponentModel.DataAnnotations;

namespace Berth.Runtimes.Process;

/// <summary>Settings of the process runtime: where replica logs live, which address replicas bind, how often they are watched.</summary>
public sealed class ProcessRuntimeOptions
{
    /// <summary>
    /// Root of the runtime's files; replica logs go to <c>{RuntimeDirectory}/logs/{replicaId}.log</c>.
    /// Default: <c>~/.local/share/berth/runtime</c>.
    /// </summary>
    [Required]
    public string RuntimeDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "berth", "runtime");

    /// <summary>Address replicas listen on and health probes connect to. Default: <c>127.0.0.1</c>.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Size above which a replica log is rotated to <c>.log.1</c> (one old file kept). Default: 10 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long LogMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How often adopted processes are checked for liveness and log files for size. Default: 250 ms.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Variables of the server's own environment a replica inherits (names, or prefixes ending in '*'); everything else
    /// (tokens such as CR_PAT, the server's settings) stays out, as a container does not see the Docker daemon's environment.
    /// Default: PATH, HOME, USER, LOGNAME, SHELL, LANG, LANGUAGE, LC_*, TZ, TMPDIR, DOTNET_ROOT*, DOTNET_CLI_HOME, DOTNET_NOLOGO.
    /// </summary>
    public IList<string> InheritedEnvironment { get; set; } =
        ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "LC_*", "TZ", "TMPDIR", "DOTNET_ROOT*", "DOTNET_CLI_HOME", "DOTNET_NOLOGO"];

    /// <summary>True when the server's variable <paramref name="name"/> is passed on to replicas.</summary>
    public bool Inherits(string name) => InheritedEnvironment.Any(pattern =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern);
}
