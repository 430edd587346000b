using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Spec.Schema;

/// <summary>
/// compose-go's interpolation casts (<c>loader/interpolate.go</c>, v2): at these paths a string value (quoted, or the
/// result of <c>${VAR}</c>) is read as the number or boolean it spells before the file is checked against the schema,
/// so <c>replicas: "${N}"</c> is an integer. A string that does not spell one is an error.
/// </summary>
internal static class InterpolationCast
{
    private enum Kind
    {
        Int,
        Float,
        Bool,
    }

    // "*" matches any one key or list index, as tree.PathMatchAll / PathMatchList do.
    private static readonly (string[] Path, Kind Kind)[] Casts =
    [
        (S("configs", "*", "mode"), Kind.Int),
        (S("cpu_count"), Kind.Int),
        (S("cpu_percent"), Kind.Float),
        (S("cpu_period"), Kind.Int),
        (S("cpu_quota"), Kind.Int),
        (S("cpu_rt_period"), Kind.Int),
        (S("cpu_rt_runtime"), Kind.Int),
        (S("cpus"), Kind.Float),
        (S("cpu_shares"), Kind.Int),
        (S("init"), Kind.Bool),
        (S("deploy", "replicas"), Kind.Int),
        (S("deploy", "update_config", "parallelism"), Kind.Int),
        (S("deploy", "update_config", "max_failure_ratio"), Kind.Float),
        (S("deploy", "rollback_config", "parallelism"), Kind.Int),
        (S("deploy", "rollback_config", "max_failure_ratio"), Kind.Float),
        (S("deploy", "restart_policy", "max_attempts"), Kind.Int),
        (S("deploy", "placement", "max_replicas_per_node"), Kind.Int),
        (S("healthcheck", "retries"), Kind.Int),
        (S("healthcheck", "disable"), Kind.Bool),
        (S("oom_kill_disable"), Kind.Bool),
        (S("oom_score_adj"), Kind.Int),
        (S("pids_limit"), Kind.Int),
        (S("ports", "*", "target"), Kind.Int),
        (S("privileged"), Kind.Bool),
        (S("read_only"), Kind.Bool),
        (S("scale"), Kind.Int),
        (S("secrets", "*", "mode"), Kind.Int),
        (S("stdin_open"), Kind.Bool),
        (S("tty"), Kind.Bool),
        (S("ulimits", "*"), Kind.Int),
        (S("ulimits", "*", "hard"), Kind.Int),
        (S("ulimits", "*", "soft"), Kind.Int),
        (S("volumes", "*", "read_only"), Kind.Bool),
        (S("volumes", "*", "volume", "nocopy"), Kind.Bool),
        (["networks", "*", "external"], Kind.Bool),
        (["networks", "*", "internal"], Kind.Bool),
        (["networks", "*", "attachable"], Kind.Bool),
        (["networks", "*", "enable_ipv6"], Kind.Bool),
        (["volumes", "*", "external"], Kind.Bool),
        (["secrets", "*", "external"], Kind.Bool),
        (["configs", "*", "external"], Kind.Bool),
    ];

    /// <summary>The outcome of a cast: the typed value, or an error; and a warning for YAML 1.1 booleans.</summary>
    public readonly record struct Result(JsonNode? Value, string? Error, string? Warning);

    /// <summary>Casts <paramref name="text"/> when <paramref name="path"/> is a cast path; null when it is not one.</summary>
    public static Result? TryCast(IReadOnlyList<string> path, string text)
    {
        foreach (var (pattern, kind) in Casts)
        {
            if (Matches(pattern, path))
            {
                return Cast(kind, text);
            }
        }

        return null;
    }

    private static Result Cast(Kind kind, string text)
    {
        switch (kind)
        {
            case Kind.Int:
                // Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
                return text.Length > 0 && text.TrimStart('+', '-').Length == text.Length - (text[0] is '+' or '-' ? 1 : 0)
                    && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    ? new Result(JsonValue.Create(l), null, null)
                    : new Result(null, $"must be an integer (got \"{text}\")", null);
            case Kind.Float:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? new Result(YamlScalarType.Number(d), null, null)
                    : new Result(null, $"must be a number (got \"{text}\")", null);
            default:
                return text.ToLowerInvariant() switch
                {
                    "true" => new Result(JsonValue.Create(true), null, null),
                    "false" => new Result(JsonValue.Create(false), null, null),
                    "y" or "yes" or "on" => new Result(JsonValue.Create(true), null, $"\"{text}\" for a boolean is not YAML 1.2; write true"),
                    "n" or "no" or "off" => new Result(JsonValue.Create(false), null, $"\"{text}\" for a boolean is not YAML 1.2; write false"),
                    _ => new Result(null, $"must be true or false (got \"{text}\")", null),
                };
        }
    }

    private static bool Matches(string[] pattern, IReadOnlyList<string> path)
    {
        if (pattern.Length != path.Count)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != "*" && pattern[i] != path[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string[] S(params string[] parts) => ["services", "*", .. parts];
}
