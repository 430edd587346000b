namespace Berth.Spec.Loading;

/// <summary>
/// Checks that hold across services: depends_on targets exist and form no cycle, service secrets are defined at top
/// level, a strategy's preview port is not published by another service or used as another preview port.
/// </summary>
internal static class ComposeValidator
{
    public static void Validate(
        MappingNode serviceNodes,
        IReadOnlyDictionary<string, ServiceSpec> services,
        IReadOnlyDictionary<string, SecretSpec> secrets,
        DiagnosticBag diagnostics)
    {
        var names = serviceNodes.Entries.Select(e => e.Key.Value!).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, service) in services)
        {
            var node = (MappingNode)serviceNodes.Get(name)!;
            var path = $"services.{name}";
            if (node.Get("depends_on") is { } dependsOnNode)
            {
                foreach (var dependency in service.DependsOn.Keys)
                {
                    var at = Locate(dependsOnNode, dependency);
                    if (dependency == name)
                    {
                        diagnostics.Error(at, $"{path}.depends_on.{dependency}", $"service {name} cannot depend on itself");
                    }
                    else if (!names.Contains(dependency) && !service.DependsOn[dependency].Required)
                    {
                        diagnostics.Warning(at, $"{path}.depends_on.{dependency}", $"depends on undefined service \"{dependency}\" (required: false, so it is skipped)");
                    }
                    else if (!names.Contains(dependency))
                    {
                        diagnostics.Error(at, $"{path}.depends_on.{dependency}", $"depends on undefined service \"{dependency}\"; defined services: {string.Join(", ", names.Order(StringComparer.Ordinal))}");
                    }
                }
            }

            if (node.Get("secrets") is SequenceNode secretNodes)
            {
                for (var i = 0; i < service.Secrets.Count && i < secretNodes.Items.Count; i++)
                {
                    var source = service.Secrets[i].Source;
                    if (!secrets.ContainsKey(source))
                    {
                        var known = secrets.Count == 0 ? "none are defined" : $"defined secrets: {string.Join(", ", secrets.Keys.Order(StringComparer.Ordinal))}";
                        diagnostics.Error(LocateSecret(secretNodes, source), $"{path}.secrets[{i}]", $"secret \"{source}\" is not defined under the top-level secrets ({known})");
                    }
                }
            }
        }

        DependencyCycles(serviceNodes, services, diagnostics);
        PreviewPorts(serviceNodes, services, diagnostics);
    }

    private static void DependencyCycles(MappingNode serviceNodes, IReadOnlyDictionary<string, ServiceSpec> services, DiagnosticBag diagnostics)
    {
        var names = serviceNodes.Entries.Select(e => e.Key.Value!).Where(services.ContainsKey).ToList();
        foreach (var cycle in DependencyCycleFinder.Find(names, name => services[name].DependsOn.Keys))
        {
            // Reported at the first service's dependency on the next one: where the user reads the loop from.
            var (from, to) = (cycle[0], cycle[cycle.Count > 1 ? 1 : 0]);
            var at = ((MappingNode)serviceNodes.Get(from)!).Get("depends_on") is { } dependsOn ? Locate(dependsOn, to) : serviceNodes.Get(from)!;
            var loop = string.Join(" -> ", cycle.Append(cycle[0]));
            diagnostics.Error(at, $"services.{from}.depends_on.{to}", $"dependency cycle: {loop}; compose refuses it (no service of the cycle could start first)");
        }
    }

    private static void PreviewPorts(MappingNode serviceNodes, IReadOnlyDictionary<string, ServiceSpec> services, DiagnosticBag diagnostics)
    {
        var claimedBy = new Dictionary<int, string>();
        foreach (var (name, service) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            foreach (var port in service.Ports)
            {
                if (port.Published is { } published)
                {
                    claimedBy.TryAdd(published, $"published by service {name}");
                }
            }
        }

        foreach (var (name, service) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var strategy = service.Berth.Strategy;
            var (section, preview) = (strategy.Canary?.PreviewPort, strategy.BlueGreen?.PreviewPort) switch
            {
                ({ } p, _) => ("canary", p),
                (_, { } p) => ("blue_green", p),
                _ => ("", 0),
            };
            if (preview == 0)
            {
                continue;
            }

            // The service's own published ports were checked when its x-berth was read.
            if (claimedBy.TryGetValue(preview, out var owner) && !service.Ports.Any(p => p.Published == preview))
            {
                var node = ((serviceNodes.Get(name) as MappingNode)?.Get("x-berth") as MappingNode)?.Get(section) is MappingNode m && m.Get("preview_port") is { } at
                    ? at
                    : serviceNodes.Get(name)!;
                diagnostics.Error(node, $"services.{name}.x-berth.{section}.preview_port", $"{preview} is already {owner}; the preview needs a port of its own");
            }
            else
            {
                claimedBy.TryAdd(preview, $"the preview port of service {name}");
            }
        }
    }

    private static ComposeNode Locate(ComposeNode dependsOn, string dependency) => dependsOn switch
    {
        MappingNode m => m.KeyNode(dependency) ?? (ComposeNode)m,
        SequenceNode s => s.Items.FirstOrDefault(i => i is ScalarNode sc && sc.Value == dependency) ?? s,
        _ => dependsOn,
    };

    private static ComposeNode LocateSecret(SequenceNode secrets, string source) =>
        secrets.Items.FirstOrDefault(i => i is ScalarNode s ? s.Value == source : i is MappingNode m && (m.Get("source") as ScalarNode)?.Value == source)
        ?? secrets;
}
