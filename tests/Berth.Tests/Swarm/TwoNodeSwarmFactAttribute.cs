using System.Diagnostics;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>
/// A test that builds the two-node Swarm of scripts/swarm-two-nodes.sh: it needs the host's Docker engine (the image
/// is built there), root, and a kernel that lets this process create network namespaces. Skipped with the reason
/// on a machine without them; with CI=true it runs anyway and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class TwoNodeSwarmFactAttribute : FactAttribute
{
    public TwoNodeSwarmFactAttribute()
    {
        if (!DockerEngine.IsCi && Problem() is { } problem)
        {
            Skip = $"two-node Swarm not possible here: {problem} (with CI=true this test fails instead)";
        }
    }

    private static string? Problem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux only";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "not root (ip netns, veth pairs and a second dockerd need it)";
        }

        if (DockerEngine.Problem() is { } docker)
        {
            return $"no Docker engine on the host: {docker}";
        }

        foreach (var tool in new[] { "ip", "nsenter", "unshare", "dockerd" })
        {
            if (Run("sh", "-c", $"command -v {tool}") is not null)
            {
                return $"'{tool}' is not installed";
            }
        }

        return Run("unshare", "--net", "--uts", "true") is { } error ? $"cannot create a network namespace ('unshare --net --uts true': {error})" : null;
    }

    /// <summary>Null when the command exits 0 within 10 s; otherwise what it said.</summary>
    private static string? Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return "did not finish in 10 s";
            }

            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
