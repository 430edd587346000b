namespace Berth.Cli;

/// <summary>The CLI's exit codes: a contract scripts and CI rely on (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Everything went as asked.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed: the server said no, a rollout failed or timed out, an unexpected error.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: usage, bad arguments, an invalid compose file; nothing was sent.</summary>
    public const int BadInput = 2;

    /// <summary>The Berth server could not be reached, or its TLS could not be trusted.</summary>
    public const int Unreachable = 3;

    /// <summary>Access refused: no valid token (401), a role that does not allow the call (403), or too many failed attempts (429).</summary>
    public const int AccessDenied = 4;

    /// <summary>Interrupted by Ctrl-C / SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
