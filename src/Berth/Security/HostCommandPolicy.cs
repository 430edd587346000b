using Berth.Runtimes.Process;
using Berth.Spec;
using Microsoft.Extensions.Options;

namespace Berth.Security;

/// <summary>
/// Checks that commands Berth runs on its own host start from allowed folders (<see cref="HostCommandOptions"/>):
/// at deploy, for every service of the stack, and again right before each start (a release deployed before the
/// setting still obeys it). Paths are compared after normalization ('..' removed), without following symlinks:
/// a deployer cannot create files on the host through the API, only point at existing ones.
/// This limits which programs run, not what they do with their arguments: see docs/security.md.
/// </summary>
public sealed class HostCommandPolicy
{
    /// <summary>What smoke commands and CMD-SHELL healthchecks run.</summary>
    public const string Shell = "/bin/sh";

    private readonly IReadOnlyList<string> _roots;

    public HostCommandPolicy(IOptions<HostCommandOptions> options)
    {
        _roots = options.Value.AllowedRoots.Select(r => WithSeparator(Path.GetFullPath(r))).ToList();
    }

    /// <summary>True when --exec-root was given.</summary>
    public bool IsRestricted => _roots.Count > 0;

    /// <summary>The allowed folders, for messages.</summary>
    public string RootsText => string.Join(", ", _roots.Select(r => r.TrimEnd('/')));

    /// <summary>Why <paramref name="path"/> (an executable or a folder) may not be used, or null when it may.</summary>
    public string? Check(string what, string path)
    {
        if (!IsRestricted)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return _roots.Any(root => WithSeparator(full).StartsWith(root, StringComparison.Ordinal))
            ? null
            : $"{what} {full} is outside the folders this server allows commands from ({RootsText}; berth server --exec-root)";
    }

    /// <summary>Every host command of <paramref name="spec"/> on <paramref name="runtime"/> that the policy refuses.</summary>
    public IReadOnlyList<string> CheckService(ServiceSpec spec, string runtime)
    {
        if (!IsRestricted)
        {
            return [];
        }

        var problems = new List<string>();
        var blueGreen = spec.Berth.Strategy.BlueGreen;
        if (!string.IsNullOrWhiteSpace(blueGreen?.PrePromotion?.Smoke) || !string.IsNullOrWhiteSpace(blueGreen?.PostPromotion?.Smoke))
        {
            Add(problems, Check("the smoke command's shell", Shell), spec, "x-berth.strategy.blue_green smoke");
        }

        if (runtime != "process" || spec.Berth.Process is not { } process)
        {
            return problems;
        }

        var workingDir = process.WorkingDir ?? Environment.CurrentDirectory;
        Add(problems, Check("working_dir", workingDir), spec, "x-berth.process.working_dir");
        if (process.Command.Count > 0 && !process.Command[0].Contains('$', StringComparison.Ordinal))
        {
            Add(problems, CheckExecutable(process.Command[0], workingDir), spec, "x-berth.process.command");
        }

        if (spec.Healthcheck is { Disabled: false, Test.Count: > 1 } check && spec.Berth.Health.HttpPath is null)
        {
            var executable = check.Test[0] == "CMD-SHELL" ? Shell : check.Test[1];
            Add(problems, CheckExecutable(executable, workingDir), spec, "healthcheck.test");
        }

        return problems;
    }

    /// <summary>Resolves <paramref name="command"/> as the process runtime will (PATH, working folder) and checks it.</summary>
    public string? CheckExecutable(string command, string? workingDir)
    {
        if (!IsRestricted)
        {
            return null;
        }

        var resolved = ExecutableResolver.Resolve(command, Environment.GetEnvironmentVariable("PATH"), workingDir, out _);
        return Check("executable", resolved ?? (Path.IsPathRooted(command) ? command : Path.Combine(workingDir ?? Environment.CurrentDirectory, command)));
    }

    private static void Add(List<string> problems, string? problem, ServiceSpec spec, string key)
    {
        if (problem is not null)
        {
            problems.Add($"service {spec.Name}: {key}: {problem}");
        }
    }

    private static string WithSeparator(string path) => path.EndsWith('/') ? path : path + "/";
}
