using System.Globalization;
using Berth.Api;
using Berth.Spec;

namespace Berth.Pipeline;

/// <summary>
/// What differs between two environments of a stack as they run now (<c>berth diff STACK --env staging --env prod</c>):
/// the stack release, and per service its target, artifact (pinned image, process artifact, command), replicas, variables and
/// secrets (by name only: a release carries no secret content). Pure.
/// </summary>
public static class EnvironmentDiff
{
    public static IReadOnlyList<DiffLine> Of(ComposeSpec? from, ComposeSpec? to)
    {
        var lines = new List<DiffLine>();
        var services = (from?.Services.Keys ?? []).Union(to?.Services.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in services)
        {
            var a = from?.Services.GetValueOrDefault(name);
            var b = to?.Services.GetValueOrDefault(name);
            if (a is null || b is null)
            {
                lines.Add(new DiffLine(name, "service", a is null ? null : "present", b is null ? null : "present"));
                continue;
            }

            Compare(lines, name, "target", a.Target ?? TargetNames.Local, b.Target ?? TargetNames.Local);
            Compare(lines, name, "artifact", Artifact(a), Artifact(b));
            Compare(lines, name, "replicas", a.Deploy.Replicas.ToString(CultureInfo.InvariantCulture), b.Deploy.Replicas.ToString(CultureInfo.InvariantCulture));
            Compare(lines, name, "strategy", a.Berth.Strategy.Kind, b.Berth.Strategy.Kind);
            Compare(lines, name, "ports", Ports(a), Ports(b));
            foreach (var key in a.Environment.Keys.Union(b.Environment.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                Compare(lines, name, $"environment.{key}", a.Environment.GetValueOrDefault(key), b.Environment.GetValueOrDefault(key));
            }

            Compare(lines, name, "secrets", Secrets(a), Secrets(b));
        }

        return lines;
    }

    private static void Compare(List<DiffLine> lines, string service, string key, string? a, string? b)
    {
        if (!string.Equals(a, b, StringComparison.Ordinal))
        {
            lines.Add(new DiffLine(service, key, a, b));
        }
    }

    private static string Artifact(ServiceSpec s) =>
        s.PinnedImage ?? s.Berth.Process?.ArtifactDigest ?? s.Image ?? string.Join(' ', s.Berth.Process?.Command ?? s.Command ?? []);

    private static string Ports(ServiceSpec s) =>
        string.Join(", ", s.Ports.Select(p => p.Published is { } published ? $"{published}:{p.Target}" : p.Target.ToString(CultureInfo.InvariantCulture)));

    private static string Secrets(ServiceSpec s) => string.Join(", ", s.Secrets.Select(x => x.Source).Order(StringComparer.Ordinal));
}
