namespace Berth.Runtimes.Process;

/// <summary>The outcome of one health probe, with the output that explains a failure.</summary>
internal sealed record ProbeResult(bool Success, string? Output)
{
    public const int MaxOutputLength = 200;

    public static readonly ProbeResult Passed = new(true, null);

    public static ProbeResult Failed(string output)
    {
        var text = output.Trim();
        return new ProbeResult(false, text.Length > MaxOutputLength ? text[..MaxOutputLength] : text);
    }
}
