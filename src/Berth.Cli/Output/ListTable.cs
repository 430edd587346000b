using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Cli.Output;

/// <summary>
/// What a list verb prints (ps, service ls, ...): columns over rows, written as a colored table on a terminal and as
/// docker-like plain lines when stdout is a pipe or a file (<see cref="PlainTable"/>); the same columns are the fields
/// of <c>--format</c> (<see cref="ListFormat"/>).
/// </summary>
public sealed class ListTable<T>
{
    public ListTable(params ListColumn<T>[] columns)
    {
        Columns = columns;
    }

    public IReadOnlyList<ListColumn<T>> Columns { get; }

    /// <summary>The <c>--format</c> field names, in column order.</summary>
    public IReadOnlyList<string> Fields => Columns.Select(c => c.Field).ToList();

    /// <summary>A table on a terminal, plain lines otherwise.</summary>
    public void Write(IAnsiConsole console, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (console.Profile.Out.IsTerminal)
        {
            console.Write(ToTable(rows));
            return;
        }

        var cells = new List<IReadOnlyList<string>> { Columns.Select(c => c.Header).ToList() };
        cells.AddRange(rows.Select(row => Columns.Select(c => PlainTable.Cell(c.Value(row))).ToList()));
        foreach (var line in PlainTable.Lines(cells))
        {
            ConsoleText.WriteLine(console, line);
        }
    }

    /// <summary>The Spectre table (simple border, colors), for terminals and live views.</summary>
    public Table ToTable(IEnumerable<T> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in Columns)
        {
            var header = new TableColumn(column.Header);
            table.AddColumn(column.Wrap ? header : header.NoWrap());
            if (column.RightAligned)
            {
                header.RightAligned();
            }
        }

        foreach (var row in rows)
        {
            table.AddRow(Columns.Select(c => Cell(c, row)).ToArray());
        }

        return table;
    }

    private static IRenderable Cell(ListColumn<T> column, T row)
    {
        var text = column.Value(row);
        return column.Color?.Invoke(row) is { } color ? new Markup($"[{color}]{Markup.Escape(text)}[/]") : new Text(text);
    }
}
