using System.Text.RegularExpressions;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    /// <summary>
    /// Every <c>sha256:…</c> digest a kept release names: service releases and stack releases (each environment's
    /// stack). Read from the stored JSON text, so a digest anywhere in a spec keeps its artifact (a pinned image's
    /// digest is kept too, which costs nothing: no artifact has it).
    /// </summary>
    public async Task<IReadOnlySet<string>> GetDigestsInUseAsync(CancellationToken cancellationToken)
    {
        var texts = await QueryAsync(
            """
            SELECT spec_json FROM releases WHERE instr(spec_json, 'sha256:') > 0
            UNION ALL
            SELECT document_json FROM stack_releases WHERE instr(document_json, 'sha256:') > 0
            """,
            r => r.GetString(0),
            cancellationToken);
        var digests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (Match match in Digest().Matches(text))
            {
                digests.Add(match.Value);
            }
        }

        return digests;
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}", RegexOptions.CultureInvariant)]
    private static partial Regex Digest();
}
