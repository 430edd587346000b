namespace Berth.Cli.Output;

/// <summary>
/// Rows of cells as docker writes a table to a pipe or file (Go's tabwriter, minimum width 10, padding 3): one line per
/// row, every column but the last padded, no indentation, no blank or ruled lines, no trailing spaces.
/// </summary>
public static class PlainTable
{
    private const int MinWidth = 10;
    private const int Padding = 3;

    public static IEnumerable<string> Lines(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns)
            .Select(c => Math.Max(MinWidth, rows.Where(r => c < r.Count).Max(r => r[c].Length) + Padding))
            .ToArray();
        foreach (var row in rows)
        {
            var line = string.Concat(row.Select((cell, c) => c == row.Count - 1 ? cell : cell.PadRight(widths[c])));
            yield return line.TrimEnd();
        }
    }

    /// <summary>A cell on one line: line breaks inside a value become spaces.</summary>
    public static string Cell(string value) => value.ReplaceLineEndings(" ");
}
