using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Runtimes;

/// <summary>The variables Berth gives every replica (PORT, BERTH_*), and their substitution into arguments and values.</summary>
internal sealed partial class ReplicaVariables
{
    /// <summary>The variable holding a replica's secrets directory: apps read <c>${BERTH_SECRETS_DIR:-/run/secrets}/NAME</c>.</summary>
    public const string SecretsDirectory = "BERTH_SECRETS_DIR";

    /// <summary>
    /// The variable holding the service's data folder (process runtime): kept across replicas, releases and restarts
    /// of the server, as a named volume is, e.g. <c>ARTICLES_DB: ${BERTH_DATA_DIR}/articles.db</c>.
    /// </summary>
    public const string DataDirectory = "BERTH_DATA_DIR";

    private ReplicaVariables(IReadOnlyDictionary<string, string> values) => Values = values;

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>
    /// Berth's variables for a replica; <paramref name="secretsDirectory"/> (when it is granted secrets) becomes
    /// BERTH_SECRETS_DIR, <paramref name="dataDirectory"/> (the process runtime's service folder) BERTH_DATA_DIR.
    /// </summary>
    public static ReplicaVariables For(ReplicaLaunch launch, int? port, string? secretsDirectory = null, string? dataDirectory = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BERTH_REPLICA_ID"] = launch.ReplicaId,
            ["BERTH_SERVICE"] = launch.Service,
            ["BERTH_RELEASE"] = launch.Release.ToString(CultureInfo.InvariantCulture),
            ["BERTH_SLOT"] = launch.Slot.ToString(CultureInfo.InvariantCulture),
        };
        if (secretsDirectory is not null)
        {
            values[SecretsDirectory] = secretsDirectory;
        }

        if (dataDirectory is not null)
        {
            values[DataDirectory] = dataDirectory;
        }

        if (port is { } p)
        {
            values["PORT"] = p.ToString(CultureInfo.InvariantCulture);
        }

        return new ReplicaVariables(values);
    }

    /// <summary>Replaces <c>${NAME}</c> and <c>$NAME</c> for Berth's own variables; anything else (and <c>$$</c>) is left alone.</summary>
    public string Substitute(string text) =>
        text.Contains('$', StringComparison.Ordinal)
            ? Reference().Replace(text, match =>
            {
                var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
                return name.Length > 0 && Values.TryGetValue(name, out var value) ? value : match.Value;
            })
            : text;

    /// <summary>The replica's own environment (launch values substituted, then Berth's variables, which win).</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> launchEnvironment)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in launchEnvironment)
        {
            environment[key] = Substitute(value);
        }

        foreach (var (key, value) in Values)
        {
            environment[key] = value;
        }

        return environment;
    }

    [GeneratedRegex(@"\$\$|\$\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
