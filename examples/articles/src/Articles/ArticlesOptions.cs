using System.Globalization;

namespace Articles;

/// <summary>
/// Settings read once from environment variables at start. Invalid values are reported
/// by <see cref="FromEnvironment"/> so the app can exit with code 2 before listening.
/// </summary>
public sealed record ArticlesOptions
{
    public string Version { get; init; } = "1";
    public string ReplicaId { get; init; } = Environment.MachineName;
    public int ProcessId { get; init; } = Environment.ProcessId;
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public string DatabasePath { get; init; } = "articles.db";
    public double FailRate { get; init; }
    public int LatencyMs { get; init; }
    public bool CrashOnStart { get; init; }

    /// <summary>Port from <c>PORT</c> (process runtime); null when unset.</summary>
    public int? Port { get; init; }

    /// <summary>Reads the options; returns the list of problems (empty when valid).</summary>
    public static (ArticlesOptions Options, IReadOnlyList<string> Errors) FromEnvironment(
        Func<string, string?>? getEnv = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        var errors = new List<string>();
        string? Get(string name)
        {
            var value = getEnv(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var failRate = 0.0;
        if (Get("ARTICLES_FAIL_RATE") is { } fr)
        {
            if (!double.TryParse(fr, NumberStyles.Float, CultureInfo.InvariantCulture, out failRate)
                || double.IsNaN(failRate) || failRate < 0 || failRate > 1)
            {
                errors.Add($"ARTICLES_FAIL_RATE must be a number between 0 and 1 (got '{fr}')");
            }
        }

        var latency = 0;
        if (Get("ARTICLES_LATENCY_MS") is { } lat)
        {
            if (!int.TryParse(lat, NumberStyles.Integer, CultureInfo.InvariantCulture, out latency) || latency < 0)
            {
                errors.Add($"ARTICLES_LATENCY_MS must be a non-negative integer (got '{lat}')");
            }
        }

        var crash = false;
        if (Get("ARTICLES_CRASH_ON_START") is { } cr)
        {
            switch (cr.ToLowerInvariant())
            {
                case "1" or "true" or "yes": crash = true; break;
                case "0" or "false" or "no": crash = false; break;
                default:
                    errors.Add($"ARTICLES_CRASH_ON_START must be true/false/1/0 (got '{cr}')");
                    break;
            }
        }

        int? port = null;
        if (Get("PORT") is { } p)
        {
            if (int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                && parsed is > 0 and <= 65535)
            {
                port = parsed;
            }
            else
            {
                errors.Add($"PORT must be an integer between 1 and 65535 (got '{p}')");
            }
        }

        var options = new ArticlesOptions
        {
            Version = Get("ARTICLES_VERSION") ?? "1",
            ReplicaId = Get("BERTH_REPLICA_ID") ?? Environment.MachineName,
            DatabasePath = Get("ARTICLES_DB") ?? "articles.db",
            FailRate = failRate,
            LatencyMs = latency,
            CrashOnStart = crash,
            Port = port,
        };
        return (options, errors);
    }
}
