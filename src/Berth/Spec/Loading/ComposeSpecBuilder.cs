using System.Text.RegularExpressions;

namespace Berth.Spec.Loading;

/// <summary>Builds the <see cref="ComposeSpec"/> from the merged root: name, services, secrets, top-level extensions.</summary>
internal sealed partial class ComposeSpecBuilder(NodeReader r)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex ProjectName();

    public async Task<ComposeSpec?> BuildAsync(MappingNode root, IReadOnlyList<string> sourceFiles, CancellationToken cancellationToken)
    {
        KeyChecker.Check(root, "", KnownKeys.TopLevel, r.Diagnostics);
        if (root.KeyNode("version") is { } version)
        {
            r.Diagnostics.Warning(version, "version", "version is obsolete and is ignored");
        }

        string? name = null;
        if (root.Get("name") is { } nameNode && r.String(nameNode, "name") is { } text)
        {
            if (ProjectName().IsMatch(text))
            {
                name = text;
            }
            else
            {
                r.Diagnostics.Error(nameNode, "name", $"must contain only lowercase letters, digits, - and _, and start with a letter or digit (got \"{text}\")");
            }
        }

        var secrets = root.Get("secrets") is { } secretsNode ? Secrets(secretsNode) : [];
        var services = new Dictionary<string, ServiceSpec>(StringComparer.Ordinal);
        if (root.Get("services") is not { } servicesNode)
        {
            r.Diagnostics.Error(root, "services", "a services mapping is required, e.g. services: {app: {image: nginx}}");
        }
        else if (r.Mapping(servicesNode, "services") is { } serviceMap)
        {
            var builder = new ServiceSpecBuilder(r);
            foreach (var (key, value) in serviceMap.Entries)
            {
                var serviceName = key.Value!;
                if (!ResourceNames.IsValid(serviceName))
                {
                    r.Diagnostics.Error(key, $"services.{serviceName}", $"invalid service name \"{serviceName}\": use letters, digits, _, . and -, starting with a letter or digit");
                    continue;
                }

                if (await builder.BuildAsync(serviceName, value, cancellationToken).ConfigureAwait(false) is { } service)
                {
                    services[serviceName] = service;
                }
            }

            ComposeValidator.Validate(serviceMap, services, secrets, r.Diagnostics);
        }

        var environments = new EnvironmentSpecBuilder(r).Build(root, services);

        if (r.Diagnostics.HasErrors)
        {
            return null;
        }

        return new ComposeSpec
        {
            Name = name,
            Services = services,
            Secrets = secrets,
            SourceFiles = sourceFiles,
            Environments = environments,
            Extensions = root.Entries
                .Where(e => e.Key.Value!.StartsWith("x-", StringComparison.Ordinal))
                .ToDictionary(e => e.Key.Value!, e => ExtensionJson.ToJson(e.Value), StringComparer.Ordinal),
        };
    }

    private Dictionary<string, SecretSpec> Secrets(ComposeNode node)
    {
        var result = new Dictionary<string, SecretSpec>(StringComparer.Ordinal);
        if (r.Mapping(node, "secrets") is not { } m)
        {
            return result;
        }

        foreach (var (key, value) in m.Entries)
        {
            var path = $"secrets.{key.Value}";
            if (r.Section(value, path, KnownKeys.TopLevelSecret) is not { } s)
            {
                continue;
            }

            var file = s.Get("file") is { } f ? r.String(f, KeyPath.Join(path, "file")) : null;
            var environment = s.Get("environment") is { } e ? r.String(e, KeyPath.Join(path, "environment")) : null;
            var external = s.Get("external") is { } x && r.Bool(x, KeyPath.Join(path, "external")) == true;
            var sources = (file is null ? 0 : 1) + (environment is null ? 0 : 1) + (external ? 1 : 0);
            if (sources != 1)
            {
                r.Diagnostics.Error(s, path, sources == 0
                    ? "a secret needs exactly one of file, environment or external: true"
                    : "a secret takes only one of file, environment or external: true");
            }

            result[key.Value!] = new SecretSpec
            {
                Name = s.Get("name") is { } n ? r.String(n, KeyPath.Join(path, "name")) ?? key.Value! : key.Value!,
                File = file is null ? null : r.ResolvePath(file, s.Get("file")!, KeyPath.Join(path, "file")),
                Environment = environment,
                External = external,
                Labels = s.Get("labels") is { } l ? DeploySpecBuilder.Labels(l, KeyPath.Join(path, "labels"), r) : new Dictionary<string, string>(),
            };
        }

        return result;
    }
}
