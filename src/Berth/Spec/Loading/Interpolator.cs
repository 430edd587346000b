using System.Text;

namespace Berth.Spec.Loading;

/// <summary>
/// Compose variable interpolation of one string: <c>${VAR}</c>, <c>$VAR</c>, <c>${VAR:-d}</c>, <c>${VAR-d}</c>,
/// <c>${VAR:?err}</c>, <c>${VAR?err}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>, <c>$$</c>; defaults may nest.
/// Berth's runtime variables (<c>PORT</c>, <c>BERTH_*</c>) are left as written: the process runtime fills them per replica;
/// <c>BERTH_ENVIRONMENT</c> is the exception, known at load time (the CLI sets it to the environment it loads the files for).
/// </summary>
internal sealed class Interpolator(Func<string, string?> lookup)
{
    /// <summary>The outcome: the value, or an error; plus the unset variables that defaulted to "".</summary>
    public sealed record Result(string? Value, string? Error, IReadOnlyList<string> UnsetVariables);

    private sealed class InterpolationException(string message) : Exception(message);

    /// <summary>True for names the runtime substitutes per replica, never at load time.</summary>
    public static bool IsRuntimeVariable(string name) =>
        name == "PORT" || (name.StartsWith("BERTH_", StringComparison.Ordinal) && name != LoadTimeEnvironmentVariable);

    /// <summary>The environment a file is loaded for (x-berth.environments), interpolated like any variable.</summary>
    public const string LoadTimeEnvironmentVariable = "BERTH_ENVIRONMENT";

    public Result Interpolate(string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new Result(text, null, []);
        }

        var unset = new List<string>();
        try
        {
            return new Result(Expand(text, 0, unset), null, unset);
        }
        catch (InterpolationException ex)
        {
            return new Result(null, ex.Message, unset);
        }
    }

    private string Expand(string text, int nesting, List<string> unset)
    {
        if (nesting > LoadLimits.MaxInterpolationNesting)
        {
            throw new InterpolationException($"interpolation nested deeper than {LoadLimits.MaxInterpolationNesting} levels");
        }

        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                Append(sb, c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                Append(sb, '$');
                i += 2;
            }
            else if (next == '{')
            {
                var end = FindClosingBrace(text, i + 2);
                var expression = text[(i + 2)..end];
                Append(sb, EvaluateBraced(expression, text[i..(end + 1)], nesting, unset));
                i = end + 1;
            }
            else if (IsNameStart(next))
            {
                var j = i + 1;
                while (j < text.Length && IsNameChar(text[j]))
                {
                    j++;
                }

                var name = text[(i + 1)..j];
                Append(sb, IsRuntimeVariable(name) ? text[i..j] : Lookup(name, unset));
                i = j;
            }
            else
            {
                Append(sb, '$');
                i++;
            }
        }

        return sb.ToString();
    }

    private string EvaluateBraced(string expression, string original, int nesting, List<string> unset)
    {
        var n = 0;
        while (n < expression.Length && (n == 0 ? IsNameStart(expression[n]) : IsNameChar(expression[n])))
        {
            n++;
        }

        var name = expression[..n];
        var rest = expression[n..];
        string op;
        if (rest.Length == 0)
        {
            op = "";
        }
        else if (rest.Length >= 2 && rest[0] == ':' && rest[1] is '-' or '?' or '+')
        {
            op = rest[..2];
        }
        else if (rest[0] is '-' or '?' or '+')
        {
            op = rest[..1];
        }
        else
        {
            throw new InterpolationException($"invalid interpolation format \"{original}\": expected ${{NAME}}, ${{NAME:-default}}, ${{NAME-default}}, ${{NAME:?error}}, ${{NAME?error}}, ${{NAME:+alt}} or ${{NAME+alt}}");
        }

        if (name.Length == 0)
        {
            throw new InterpolationException($"invalid interpolation format \"{original}\": a variable name is required after ${{");
        }

        if (IsRuntimeVariable(name))
        {
            return original;
        }

        var argument = rest[op.Length..];
        var value = lookup(name);
        switch (op)
        {
            case ":-":
                return string.IsNullOrEmpty(value) ? Expand(argument, nesting + 1, unset) : value;
            case "-":
                return value ?? Expand(argument, nesting + 1, unset);
            case ":?":
            case "?":
                if (op == ":?" ? string.IsNullOrEmpty(value) : value is null)
                {
                    var message = Expand(argument, nesting + 1, unset);
                    throw new InterpolationException(message.Length > 0
                        ? $"required variable {name} is missing a value: {message}"
                        : $"required variable {name} is missing a value");
                }

                return value!;
            case ":+":
                return string.IsNullOrEmpty(value) ? "" : Expand(argument, nesting + 1, unset);
            case "+":
                return value is null ? "" : Expand(argument, nesting + 1, unset);
            default:
                return value ?? Unset(name, unset);
        }
    }

    private string Lookup(string name, List<string> unset) => lookup(name) ?? Unset(name, unset);

    private static string Unset(string name, List<string> unset)
    {
        unset.Add(name);
        return "";
    }

    private static int FindClosingBrace(string text, int from)
    {
        var level = 1;
        for (var j = from; j < text.Length; j++)
        {
            if (text[j] == '$' && j + 1 < text.Length && text[j + 1] == '{')
            {
                level++;
                j++;
            }
            else if (text[j] == '$' && j + 1 < text.Length && text[j + 1] == '$')
            {
                j++;
            }
            else if (text[j] == '}' && --level == 0)
            {
                return j;
            }
        }

        throw new InterpolationException($"invalid interpolation format \"{text}\": a ${{ is never closed by }}");
    }

    private static void Append(StringBuilder sb, char c)
    {
        sb.Append(c);
        CheckLength(sb);
    }

    private static void Append(StringBuilder sb, string s)
    {
        sb.Append(s);
        CheckLength(sb);
    }

    private static void CheckLength(StringBuilder sb)
    {
        if (sb.Length > LoadLimits.MaxInterpolatedLength)
        {
            throw new InterpolationException($"interpolated value is longer than {LoadLimits.MaxInterpolatedLength} characters");
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
