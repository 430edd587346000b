using System.Globalization;
using Berth.Spec;

namespace Berth.Cli.Commands.Scale;

/// <summary>One SERVICE=N argument of `berth scale`.</summary>
public sealed record ScaleAssignment(string Service, int Replicas)
{
    /// <summary>Parses "name=N" (N a whole number >= 0); otherwise says what is wrong.</summary>
    public static bool TryParse(string text, out ScaleAssignment? assignment, out string? problem)
    {
        assignment = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            problem = $"'{text}': expected SERVICE=REPLICAS, e.g. articles_app=5.";
            return false;
        }

        var service = text[..equals].Trim();
        var count = text[(equals + 1)..].Trim();
        if (service.Length == 0)
        {
            problem = $"'{text}': the service name is missing.";
            return false;
        }

        if (ResourceNames.ServiceProblem(service) is { } invalid)
        {
            problem = $"'{text}': {invalid}.";
            return false;
        }

        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas))
        {
            problem = count.StartsWith('-')
                ? $"'{text}': the replica count must be >= 0."
                : $"'{text}': '{count}' is not a whole number of replicas.";
            return false;
        }

        assignment = new ScaleAssignment(service, replicas);
        problem = null;
        return true;
    }
}
