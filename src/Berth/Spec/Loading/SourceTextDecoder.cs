using System.Text;

namespace Berth.Spec.Loading;

/// <summary>Turns file bytes into text: UTF-8 with or without BOM, UTF-16 LE/BE with BOM.</summary>
internal static class SourceTextDecoder
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Le = new UnicodeEncoding(false, false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Be = new UnicodeEncoding(true, false, throwOnInvalidBytes: true);

    private static Encoding LenientOf(Encoding strict) =>
        strict == StrictUtf8 ? new UTF8Encoding(false) : new UnicodeEncoding(strict == StrictUtf16Be, false);

    /// <summary>Decodes <paramref name="bytes"/>; returns null and an explanation when they are not valid text.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes, out string? problem) => TryDecode(bytes, out problem, out _, out _);

    /// <summary>
    /// Decodes <paramref name="bytes"/>; when they are not valid text, returns null, an explanation and the 1-based line
    /// and column of the first bad byte (1:1 when the whole encoding is refused).
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes, out string? problem, out int line, out int column)
    {
        problem = null;
        (line, column) = (1, 1);
        var encoding = StrictUtf8;
        var start = 0;
        try
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            {
                problem = "UTF-32 is not supported; save the file as UTF-8";
                return null;
            }

            (encoding, start) = bytes switch
            {
                [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, 3),
                [0xFF, 0xFE, ..] => (StrictUtf16Le, 2),
                [0xFE, 0xFF, ..] => (StrictUtf16Be, 2),
                _ => (StrictUtf8, 0),
            };
            return encoding.GetString(bytes[start..]);
        }
        catch (DecoderFallbackException ex)
        {
            problem = $"the file is not valid text (UTF-8, or UTF-16 with a byte order mark): {ex.Message}";

            // Locate the bad byte: the text before it decodes, so count its lines.
            var bad = Math.Clamp(ex.Index, 0, bytes.Length - start);
            var before = LenientOf(encoding).GetString(bytes.Slice(start, bad));
            var lastNewline = before.LastIndexOf('\n');
            line = before.Count(c => c == '\n') + 1;
            column = before.Length - lastNewline;
            return null;
        }
    }
}
