using System.Diagnostics;

namespace Berth.Cli.Commands.Build;

/// <summary>The short commit id images are tagged with by default: the checkout's HEAD, as CI pipelines tag builds.</summary>
public static class GitCommit
{
    /// <summary>
    /// <c>GITHUB_SHA</c>'s first 7 characters in GitHub Actions, else <c>git rev-parse --short HEAD</c> in
    /// <paramref name="folder"/>; null outside a git checkout or without git.
    /// </summary>
    public static async Task<string?> ShortShaAsync(string folder, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.TryGetValue("GITHUB_SHA", out var sha) && sha.Length >= 7 && sha.All(char.IsAsciiHexDigit))
        {
            return sha[..7].ToLowerInvariant();
        }

        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", folder, "rev-parse", "--short", "HEAD" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = await git.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await git.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await git.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var text = output.Trim();
            return git.ExitCode == 0 && text.Length > 0 && text.All(char.IsAsciiHexDigit) ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
