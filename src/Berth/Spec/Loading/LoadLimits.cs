namespace Berth.Spec.Loading;

/// <summary>Bounds that keep hostile compose files from exhausting time or memory.</summary>
internal static class LoadLimits
{
    /// <summary>Largest compose or env file read (checked before reading).</summary>
    public const long MaxFileBytes = 8 * 1024 * 1024;

    /// <summary>Most nodes a document may have once aliases and merge keys are expanded.</summary>
    public const long MaxExpandedNodes = 1_000_000;

    /// <summary>Deepest nesting of mappings and sequences.</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest string a single interpolated scalar may become.</summary>
    public const int MaxInterpolatedLength = 1024 * 1024;

    /// <summary>Most characters interpolation may produce across a whole file.</summary>
    public const long MaxInterpolatedTotal = 32L * 1024 * 1024;

    /// <summary>Most diagnostics reported for one load.</summary>
    public const int MaxDiagnostics = 500;

    /// <summary>Most ports one <c>ports</c> entry may expand to (<c>"8000-8999:8000-8999"</c> is 1000).</summary>
    public const int MaxPortRange = 1000;

    /// <summary>Deepest nesting of <c>${A:-${B:-...}}</c>.</summary>
    public const int MaxInterpolationNesting = 16;
}
