using System.Text.RegularExpressions;

namespace Berth.Spec.Loading;

/// <summary>
/// Builds the delivery pipeline's environments from the top-level <c>x-berth.environments</c> list, and checks them
/// against the services: names unique, overrides naming real services, and no two environments of one target
/// publishing the same port.
/// </summary>
internal sealed partial class EnvironmentSpecBuilder(NodeReader r)
{
    private const string Path = "x-berth.environments";


    public IReadOnlyList<EnvironmentSpec> Build(MappingNode root, IReadOnlyDictionary<string, ServiceSpec> services)
    {
        if (root.Get("x-berth") is not { } node || r.Section(node, "x-berth", KnownKeys.BerthTopLevel) is not { } berth
            || berth.Get("environments") is not { } list)
        {
            return [];
        }

        if (list is not SequenceNode items || items.Items.Count == 0)
        {
            r.Diagnostics.Error(list, Path, $"must be a non-empty list of environments in order, e.g. [{{name: dev}}, {{name: staging}}, {{name: prod, entry: manual}}] (got {NodeReader.Describe(list)})");
            return [];
        }

        var result = new List<(EnvironmentSpec Spec, ComposeNode Node)>();
        var seen = new Dictionary<string, ComposeNode>(StringComparer.Ordinal);
        for (var i = 0; i < items.Items.Count; i++)
        {
            var at = KeyPath.Index(Path, i);
            if (Environment(items.Items[i], at, services) is not { } spec)
            {
                continue;
            }

            if (seen.TryGetValue(spec.Name, out var first))
            {
                r.Diagnostics.Error(items.Items[i], KeyPath.Join(at, "name"), $"environment \"{spec.Name}\" is named twice (first at line {first.Mark.Line}); each environment needs its own name");
                continue;
            }

            seen[spec.Name] = items.Items[i];
            result.Add((spec, items.Items[i]));
        }

        CheckPortClashes(result, services);
        return result.Select(e => e.Spec).ToList();
    }

    private EnvironmentSpec? Environment(ComposeNode node, string at, IReadOnlyDictionary<string, ServiceSpec> services)
    {
        if (r.Section(node, at, KnownKeys.BerthEnvironment) is not { } m)
        {
            return null;
        }

        string Key(string key) => KeyPath.Join(at, key);
        string? name = null;
        if (m.Get("name") is not { } nameNode)
        {
            r.Diagnostics.Error(m, Key("name"), "an environment needs a name, e.g. name: staging");
        }
        else if (r.String(nameNode, Key("name")) is { } text)
        {
            if (Berth.Pipeline.EnvironmentStacks.IsValidEnvironment(text))
            {
                name = text;
            }
            else
            {
                r.Diagnostics.Error(nameNode, Key("name"), $"must be {Berth.Pipeline.EnvironmentStacks.NameRule} (got \"{text}\")");
            }
        }

        var overrides = new Dictionary<string, EnvironmentServiceSpec>(StringComparer.Ordinal);
        if (m.Get("services") is { } servicesNode && r.Mapping(servicesNode, Key("services")) is { } serviceMap)
        {
            foreach (var (key, value) in serviceMap.Entries)
            {
                var serviceAt = KeyPath.Join(Key("services"), key.Value!);
                if (!services.ContainsKey(key.Value!))
                {
                    r.Diagnostics.Error(key, serviceAt, NearestName.Find(key.Value!, services.Keys) is { } near
                        ? $"no service \"{key.Value}\" in the file; did you mean {near}?"
                        : $"no service \"{key.Value}\" in the file (services: {string.Join(", ", services.Keys)})");
                    continue;
                }

                if (r.Section(value, serviceAt, KnownKeys.BerthEnvironmentService) is { } s)
                {
                    overrides[key.Value!] = new EnvironmentServiceSpec
                    {
                        Replicas = s.Get("replicas") is { } rn ? r.Int(rn, KeyPath.Join(serviceAt, "replicas"), min: 0) : null,
                        Environment = s.Get("environment") is { } en ? Variables(en, KeyPath.Join(serviceAt, "environment")) : new Dictionary<string, string>(),
                    };
                }
            }
        }

        var spec = new EnvironmentSpec
        {
            Name = name ?? "",
            Target = m.Get("target") is { } t ? r.String(t, Key("target")) ?? TargetNames.Local : TargetNames.Local,
            Entry = m.Get("entry") is { } e ? r.OneOf(e, Key("entry"), EntryModes.All) ?? EntryModes.Auto : EntryModes.Auto,
            PortOffset = m.Get("port_offset") is { } po ? r.Int(po, Key("port_offset"), 0, 60000) ?? 0 : 0,
            Replicas = m.Get("replicas") is { } rp ? r.Int(rp, Key("replicas"), min: 0) : null,
            Environment = m.Get("environment") is { } env ? Variables(env, Key("environment")) : new Dictionary<string, string>(),
            Strategy = m.Get("strategy") is { } st ? r.OneOf(st, Key("strategy"), StrategySpec.RollingKind) : null,
            Services = overrides,
            Gates = m.Get("gates") is { } g ? Gates(g, Key("gates")) : new GatesSpec(),
            Webhook = m.Get("webhook") is { } w ? Webhook(w, Key("webhook")) : null,
        };
        return name is null ? null : spec;
    }

    private GatesSpec Gates(ComposeNode node, string at)
    {
        if (r.Section(node, at, KnownKeys.BerthGates) is not { } m)
        {
            return new GatesSpec();
        }

        var gates = new GatesSpec
        {
            HealthyFor = m.Get("healthy_for") is { } h ? r.Duration(h, KeyPath.Join(at, "healthy_for")) : null,
            Smoke = m.Get("smoke") is { } s ? Smoke(s, KeyPath.Join(at, "smoke")) : null,
        };
        if (m.Get("smoke_timeout") is { } st && AnalysisSpecBuilder.PositiveDuration(st, KeyPath.Join(at, "smoke_timeout"), r) is { } smokeTimeout)
        {
            gates = gates with { SmokeTimeout = smokeTimeout };
        }

        if (m.Get("analysis") is { } analysis)
        {
            gates = gates with { Analysis = AnalysisSpecBuilder.Build(analysis, KeyPath.Join(at, "analysis"), r, countNeededFor: "before the release may go on") };
            if (gates.Analysis?.Metrics.Any(metric => metric.MaxRatio is not null) == true)
            {
                r.Diagnostics.Error(analysis, KeyPath.Join(at, "analysis.metrics"), "max_ratio compares with a stable release, which an environment gate does not have: use max, e.g. {name: latency_p95, max: 250ms}");
            }
        }

        if (m.Get("load") is { } load)
        {
            gates = gates with { Load = Smoke(load, KeyPath.Join(at, "load")) };
            if (gates.Analysis is null)
            {
                r.Diagnostics.Error(load, KeyPath.Join(at, "load"), "gives traffic to an analysis: add gates.analysis, e.g. analysis: {interval: 10s, count: 3}");
            }
        }

        if (m.Get("timeout") is { } t && r.Duration(t, KeyPath.Join(at, "timeout")) is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
            {
                r.Diagnostics.Error(t, KeyPath.Join(at, "timeout"), "must be longer than 0s");
            }

            gates = gates with { Timeout = timeout };
        }

        if (gates.HealthyFor is { } healthyFor && healthyFor >= gates.Timeout)
        {
            r.Diagnostics.Error(m.Get("healthy_for")!, KeyPath.Join(at, "healthy_for"), $"must be shorter than the gates' timeout ({DurationCodec.Format(gates.Timeout)}); raise gates.timeout");
        }

        return gates;
    }

    private string? Smoke(ComposeNode node, string at)
    {
        var command = r.String(node, at);
        if (command is not null && command.Trim().Length == 0 || command is null && node is ScalarNode)
        {
            r.Diagnostics.Error(node, at, "must be a shell command, e.g. curl -fsS $$BERTH_URL_APP/healthz");
            return null;
        }

        return command;
    }

    private string? Webhook(ComposeNode node, string at)
    {
        var text = r.String(node, at);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0)
        {
            return text;
        }

        r.Diagnostics.Error(node, at, $"must be an http:// or https:// URL without a user or password, e.g. https://chat.example.com/hooks/berth (got \"{text}\")");
        return null;
    }

    private Dictionary<string, string> Variables(ComposeNode node, string at) =>
        (r.StringMap(node, at, _ => "") ?? []).ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);

    /// <summary>
    /// Two environments publishing the same port would fight over it: a located error. Whatever their targets, since
    /// Berth's routers publish every environment's ports (a target's replicas are reached through them).
    /// </summary>
    private void CheckPortClashes(List<(EnvironmentSpec Spec, ComposeNode Node)> environments, IReadOnlyDictionary<string, ServiceSpec> services)
    {
        var taken = new Dictionary<int, string>();
        for (var i = 0; i < environments.Count; i++)
        {
            var (env, node) = environments[i];
            foreach (var (port, service) in PublishedPorts(services))
            {
                var shifted = port + env.PortOffset;
                var at = KeyPath.Join(KeyPath.Index(Path, i), "port_offset");
                if (shifted > 65535)
                {
                    r.Diagnostics.Error(node, at, $"moves {service}'s port {port} to {shifted}, above 65535");
                    continue;
                }

                if (taken.TryGetValue(shifted, out var other) && other != env.Name)
                {
                    r.Diagnostics.Error(node, at, $"environment {env.Name} would publish port {shifted} ({service}), as {other} does (Berth's routers publish every environment's ports, whatever its target): give one of them another port_offset");
                    continue;
                }

                taken[shifted] = env.Name;
            }
        }
    }

    private static IEnumerable<(int Port, string Service)> PublishedPorts(IReadOnlyDictionary<string, ServiceSpec> services)
    {
        foreach (var (name, service) in services)
        {
            foreach (var port in service.Ports)
            {
                if (port.Published is { } published)
                {
                    yield return (published, name);
                }
            }

            if (service.Berth.Strategy.BlueGreen?.PreviewPort is { } preview)
            {
                yield return (preview, name);
            }

            if (service.Berth.Strategy.Canary?.PreviewPort is { } canaryPreview)
            {
                yield return (canaryPreview, name);
            }
        }
    }
}
