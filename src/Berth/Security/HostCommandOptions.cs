namespace Berth.Security;

/// <summary>Where commands that run on the server's host may come from (`berth server --exec-root DIR`).</summary>
public sealed class HostCommandOptions
{
    /// <summary>
    /// Folders that every host command's executable and working directory must lie under: process-runtime replicas,
    /// their healthchecks, and blue/green smoke commands (which run <c>/bin/sh</c>). Empty (the default): no restriction.
    /// </summary>
    public IList<string> AllowedRoots { get; set; } = [];
}
