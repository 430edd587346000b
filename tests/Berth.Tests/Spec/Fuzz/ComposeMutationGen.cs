using System.Text;
using CsCheck;

namespace Berth.Tests.Spec.Fuzz;

/// <summary>
/// Mutations of a valid compose file: type swaps, deleted and duplicated lines (duplicate keys), huge and deeply
/// nested values, bad unicode, broken indentation, truncation and random bytes. Each input gets 0 to 4 of them.
/// </summary>
internal static class ComposeMutationGen
{
    /// <summary>A mutation: what it did (for the failure report) and the bytes it made.</summary>
    public sealed record Mutated(string Description, byte[] Bytes)
    {
        public override string ToString() => $"{Description}\n---\n{Encoding.UTF8.GetString(Bytes)}";
    }

    private static readonly string[] Swaps =
    [
        "{}", "[]", "[1, 2]", "{a: b}", "null", "~", "true", "-1", "0", "99999999999999999999", "1e400", "\"\"", "!reset []", "!override {}",
        "*nowhere", "&x 1", "\"${UNSET}\"", "\"${UNSET:?must be set}\"", "${", "$${X}", "0x1F", "0o777", ".inf", "yes", "\"70000:80\"", "\"1-65535\"",
        "[CMD]", "{condition: nope}", "- item", "|\n  block\n  text", "'it''s'", "\"\\ud800\"", "\"\\U0001F600\"", "!!binary aGk=", "!!str 12", "? complex",
    ];

    private static readonly byte[][] BadBytes =
    [
        [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00], [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0x0B], [0x1B, 0x5B],
        [0xE2, 0x80, 0xAE], [0xE2, 0x80, 0x8B], [0xC2, 0x85], [0xF0, 0x9F, 0x98, 0x80],
    ];

    private static Gen<Change> Mutation => Gen.Frequency(
        (4, Gen.Select(Gen.Int, Gen.OneOf(Swaps), (at, swap) => Fn($"swap a value for {swap}", text => SwapValue(text, at, swap)))),
        (3, Gen.Int.Select(at => Fn("delete a line", text => EditLines(text, at, (lines, i) => lines.RemoveAt(i))))),
        (3, Gen.Int.Select(at => Fn("duplicate a line", text => EditLines(text, at, (lines, i) => lines.Insert(i, lines[i]))))),
        (2, Gen.Select(Gen.Int, Gen.Int[1, 6], (at, shift) => Fn($"indent a line by {shift}", text => EditLines(text, at, (lines, i) => lines[i] = new string(' ', shift) + lines[i])))),
        (1, Gen.Int.Select(at => Fn("a tab in the indentation", text => EditLines(text, at, (lines, i) => lines[i] = "\t" + lines[i].TrimStart())))),
        (2, Gen.Select(Gen.Int, Gen.Int[1, 200_000], (at, size) => Fn($"a {size}-character value", text => SwapValue(text, at, "\"" + new string('x', size) + "\"")))),
        (1, Gen.Select(Gen.Int, Gen.Int[30, 300], (at, depth) => Fn($"a value nested {depth} deep", text => SwapValue(text, at, new string('[', depth) + new string(']', depth))))),
        (1, Gen.Select(Gen.Int, Gen.Int[5, 40], (at, depth) => Fn($"interpolation nested {depth} deep", text => SwapValue(text, at, "\"" + string.Concat(Enumerable.Repeat("${A:-", depth)) + "x" + new string('}', depth) + "\"")))),
        (1, Gen.Select(Gen.Int, Gen.Int[2, 2000], (at, count) => Fn($"a list of {count} items", text => SwapValue(text, at, "[" + string.Join(", ", Enumerable.Range(0, count)) + "]")))),
        (1, Gen.Int.Select(at => Fn("an alias bomb", text => "x-a: &a [1,1,1,1,1,1,1,1,1,1]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" + SwapValue(text, at, "*d")))),
        (3, Gen.Select(Gen.Int, Gen.Int[0, BadBytes.Length - 1], (at, which) => FnBytes($"insert bytes {Convert.ToHexString(BadBytes[which])}", bytes => Insert(bytes, at, BadBytes[which])))),
        (2, Gen.Select(Gen.Int, Gen.Byte.Array[1, 16], (at, random) => FnBytes($"insert random bytes {Convert.ToHexString(random)}", bytes => Insert(bytes, at, random)))),
        (1, Gen.Select(Gen.Int, Gen.Byte, (at, value) => FnBytes($"overwrite a byte with {value:X2}", bytes => Overwrite(bytes, at, value)))),
        (1, Gen.Int.Select(at => FnBytes("truncate", bytes => bytes[..(int)((uint)at % (uint)(bytes.Length + 1))]))),
        (1, Gen.Bool.Select(bigEndian => FnBytes($"UTF-16 {(bigEndian ? "BE" : "LE")} with a BOM", bytes => new UnicodeEncoding(bigEndian, true).GetPreamble().Concat(new UnicodeEncoding(bigEndian, false).GetBytes(Encoding.UTF8.GetString(bytes))).ToArray()))));

    /// <summary>A generated valid file with 0–4 mutations: those on text first, then those on bytes.</summary>
    public static readonly Gen<Mutated> Input = Gen.Select(ComposeFileGen.File, Mutation.Array[0, 4], (file, mutations) =>
    {
        var text = mutations.Where(m => m.Text is not null).Aggregate(file, (t, m) => m.Text!(t));
        var bytes = mutations.Where(m => m.Bytes is not null).Aggregate(Encoding.UTF8.GetBytes(text), (b, m) => m.Bytes!(b));
        return new Mutated($"{mutations.Length} mutation(s): {string.Join("; ", mutations.Select(m => m.Description))}", bytes);
    });

    /// <summary>One change, to the text or to the bytes.</summary>
    private sealed record Change(string Description, Func<string, string>? Text, Func<byte[], byte[]>? Bytes);

    private static Change Fn(string description, Func<string, string> apply) => new(description, apply, null);

    private static Change FnBytes(string description, Func<byte[], byte[]> apply) => new(description, null, apply);

    private static string SwapValue(string text, int at, string replacement)
    {
        var lines = text.Split('\n');
        var candidates = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(": ", StringComparison.Ordinal) || lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return text;
        }

        var index = candidates[(int)((uint)at % (uint)candidates.Count)];
        var line = lines[index];
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var cut = colon >= 0 ? colon + 2 : line.IndexOf("- ", StringComparison.Ordinal) + 2;
        lines[index] = line[..cut] + replacement;
        return string.Join('\n', lines);
    }

    private static string EditLines(string text, int at, Action<List<string>, int> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines, (int)((uint)at % (uint)lines.Count));
        return string.Join('\n', lines);
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted)
    {
        var index = (int)((uint)at % (uint)(bytes.Length + 1));
        return [.. bytes[..index], .. inserted, .. bytes[index..]];
    }

    private static byte[] Overwrite(byte[] bytes, int at, byte value)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        copy[(int)((uint)at % (uint)copy.Length)] = value;
        return copy;
    }
}
