namespace Berth.Spec;

/// <summary>How big a secret may be, wherever its content comes from (a file, a variable, `berth secret set`).</summary>
public static class SecretLimits
{
    /// <summary>Swarm's limit, which Berth keeps on every runtime: 500 KiB.</summary>
    public const int MaxBytes = 500 * 1024;
}
