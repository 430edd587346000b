using System.Globalization;
using System.Text;
using Berth.Spec;
using Berth.Store;

namespace Berth.Pipeline;

/// <summary>
/// What a smoke gate's command is told: <c>BERTH_STACK</c> (the environment's stack), <c>BERTH_ENVIRONMENT</c>,
/// <c>BERTH_RELEASE</c>, and <c>BERTH_URL_SERVICE</c> for each service with a published port
/// (<c>http://127.0.0.1:PORT</c>, the environment's port: e.g. <c>BERTH_URL_APP</c>).
/// </summary>
public static class SmokeVariables
{
    public static IReadOnlyDictionary<string, string> For(EnvironmentDeploymentRecord deployment, ComposeSpec? spec)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BERTH_STACK"] = EnvironmentStacks.Name(deployment.Stack, deployment.Environment),
            [EnvironmentOverlay.Variable] = deployment.Environment,
            ["BERTH_RELEASE"] = deployment.Release.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, service) in spec?.Services ?? new Dictionary<string, ServiceSpec>())
        {
            if (service.Ports.FirstOrDefault(p => p.Published is not null) is { Published: { } port })
            {
                variables[$"BERTH_URL_{VariablePart(name)}"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            }
        }

        return variables;
    }

    /// <summary>A service name as a variable name's part: upper case, anything but letters and digits as '_'.</summary>
    public static string VariablePart(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return text.ToString();
    }
}
