using System.Text;

namespace Berth.Spec.Loading;

/// <summary>Splits a command string into words like compose-go's shellwords: quotes and backslashes, no expansion.</summary>
internal static class ShellWords
{
    /// <summary>Returns the words, or null with a reason for an unterminated quote or a trailing backslash.</summary>
    public static IReadOnlyList<string>? TrySplit(string line, out string? problem)
    {
        problem = null;
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            inWord = true;
            if (c == '\\')
            {
                if (i + 1 >= line.Length)
                {
                    problem = "a command may not end with a lone backslash";
                    return null;
                }

                current.Append(line[i + 1]);
                i += 2;
            }
            else if (c == '\'')
            {
                var close = line.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    problem = "unterminated single quote";
                    return null;
                }

                current.Append(line, i + 1, close - i - 1);
                i = close + 1;
            }
            else if (c == '"')
            {
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    current.Append(line[i]);
                    i++;
                }

                if (!closed)
                {
                    problem = "unterminated double quote";
                    return null;
                }
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
