using Berth.Releases;
using Berth.Spec;

namespace Berth.Deployments;

/// <summary>
/// What a deploy grants in secrets: for each service the list its release records (content hash or external name), the
/// contents to keep, and every problem (an undefined or content-less secret, an external one the runtime cannot find,
/// a target the process runtime cannot use). Contents never leave this object except into the store.
/// </summary>
internal sealed class DeploySecrets
{
    /// <summary>Largest secret content (Swarm's limit), as the CLI also checks.</summary>
    public const int MaxBytes = Spec.Loading.SecretContentReader.MaxBytes;

    private readonly Dictionary<string, IReadOnlyList<ReleaseSecret>> _byService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _contents = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    private DeploySecrets()
    {
    }

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>
    /// Resolves every service's granted secrets against the top-level definitions, the contents sent with the deploy
    /// and, for external secrets, the ones the server keeps for the stack (<paramref name="kept"/>, `berth secret set`).
    /// </summary>
    public static DeploySecrets Resolve(
        string stack, ComposeSpec compose, IReadOnlyList<ServiceSpec> services, IReadOnlyDictionary<string, byte[]>? contents,
        IReadOnlyDictionary<string, byte[]> kept, string runtime)
    {
        var result = new DeploySecrets();
        contents ??= new Dictionary<string, byte[]>();
        foreach (var service in services)
        {
            var granted = new List<ReleaseSecret>();
            var targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var secret in service.Secrets)
            {
                var problem = result.Grant(stack, compose, secret, contents, kept, runtime, granted);
                var target = secret.Target ?? secret.Source;
                if (problem is null && !targets.Add(target))
                {
                    problem = $"target \"{target}\" is used by two of its secrets; give each a target of its own";
                }

                if (problem is not null)
                {
                    result._problems.Add($"service {service.Name}: secret {secret.Source}: {problem}");
                }
            }

            result._byService[service.Name] = granted;
        }

        return result;
    }

    /// <summary>The secrets the release of <paramref name="service"/> grants (sorted by name).</summary>
    public IReadOnlyList<ReleaseSecret> Of(string service) => _byService.TryGetValue(service, out var secrets) ? secrets : [];

    /// <summary>The content of a granted, non-external secret.</summary>
    public byte[] ContentOf(string source) => _contents[source];

    private string? Grant(
        string stack, ComposeSpec compose, ServiceSecretSpec secret, IReadOnlyDictionary<string, byte[]> contents,
        IReadOnlyDictionary<string, byte[]> kept, string runtime, List<ReleaseSecret> granted)
    {
        if (!compose.Secrets.TryGetValue(secret.Source, out var definition))
        {
            var known = compose.Secrets.Count == 0 ? "none are defined" : $"defined secrets: {string.Join(", ", compose.Secrets.Keys.Order(StringComparer.Ordinal))}";
            return $"not defined under the top-level secrets ({known})";
        }

        if (runtime != "swarm" && TargetProblem(secret.Target) is { } badTarget)
        {
            return badTarget;
        }

        if (granted.Any(g => g.Source == secret.Source))
        {
            return "granted twice";
        }

        if (definition.External)
        {
            var name = definition.Name ?? secret.Source;
            if (kept.TryGetValue(name, out var keptContent))
            {
                // Kept by the server for this stack: it travels with the release like a file: secret's content.
                return Keep(secret.Source, keptContent, granted);
            }

            if (runtime != "swarm")
            {
                return $"external: the server keeps no secret {name} for stack {stack}: set it with `berth secret set {stack} {name}` " +
                       "(its content on stdin; `--env E` for an environment's stack), or give the secret with file: or environment:";
            }

            granted.Add(new ReleaseSecret(secret.Source, null, definition.Name));
            Sort(granted);
            return null;
        }

        if (!contents.TryGetValue(secret.Source, out var content))
        {
            var from = definition.File is { } file ? $"file {file}" : $"environment variable {definition.Environment}";
            return $"no content was sent for it ({from}): `berth deploy` reads secret files and variables on the deploying machine and sends the contents; the server never reads them itself";
        }

        return Keep(secret.Source, content, granted);
    }

    private string? Keep(string source, byte[] content, List<ReleaseSecret> granted)
    {
        if (content.Length > MaxBytes)
        {
            return $"its content is {content.Length} bytes; a secret holds at most {MaxBytes} bytes (500 KiB)";
        }

        _contents[source] = content;
        granted.Add(new ReleaseSecret(source, ReleaseSecret.HashOf(content), null));
        Sort(granted);
        return null;
    }

    /// <summary>The process runtime writes all of a replica's secrets into one directory: a target is a plain file name there.</summary>
    private static string? TargetProblem(string? target) =>
        target is null ? null
        : target.Length == 0 || target is "." or ".." || target.IndexOfAny(['/', '\\', '\0']) >= 0
            ? $"target \"{target}\": the process runtime writes a replica's secrets as files in one directory ($BERTH_SECRETS_DIR); use a plain file name"
            : null;

    private static void Sort(List<ReleaseSecret> granted) => granted.Sort((a, b) => string.CompareOrdinal(a.Source, b.Source));
}
