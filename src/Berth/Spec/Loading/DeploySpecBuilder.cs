namespace Berth.Spec.Loading;

/// <summary>Builds <see cref="DeploySpec"/> from a service's <c>deploy</c> section, Swarm defaults for what is absent.</summary>
internal static class DeploySpecBuilder
{
    public static DeploySpec Build(ComposeNode node, string path, NodeReader r)
    {
        var deploy = new DeploySpec();
        if (r.Section(node, path, KnownKeys.Deploy) is not { } m)
        {
            return deploy;
        }

        string P(string key) => KeyPath.Join(path, key);
        if (m.Get("mode") is { } mode)
        {
            deploy = deploy with { Mode = r.OneOf(mode, P("mode"), DeployModes.Replicated, DeployModes.Global) ?? deploy.Mode };
        }

        if (m.Get("replicas") is { } replicas)
        {
            deploy = deploy with { Replicas = r.Int(replicas, P("replicas"), 0) ?? deploy.Replicas };
        }

        if (m.Get("endpoint_mode") is { } endpoint)
        {
            deploy = deploy with { EndpointMode = r.OneOf(endpoint, P("endpoint_mode"), "vip", "dnsrr") ?? deploy.EndpointMode };
        }

        if (m.Get("labels") is { } labels)
        {
            deploy = deploy with { Labels = Labels(labels, P("labels"), r) };
        }

        if (m.Get("restart_policy") is { } restart)
        {
            deploy = deploy with { RestartPolicy = RestartPolicy(restart, P("restart_policy"), r) };
        }

        if (m.Get("update_config") is { } update)
        {
            deploy = deploy with { UpdateConfig = UpdateConfig(update, P("update_config"), r) };
        }

        if (m.Get("rollback_config") is { } rollback)
        {
            deploy = deploy with { RollbackConfig = UpdateConfig(rollback, P("rollback_config"), r) };
        }

        if (m.Get("resources") is { } resources && r.Section(resources, P("resources"), KnownKeys.Resources) is { } res)
        {
            deploy = deploy with
            {
                Resources = new ResourcesSpec
                {
                    Limits = res.Get("limits") is { } l ? Amount(l, KeyPath.Join(P("resources"), "limits"), r) : null,
                    Reservations = res.Get("reservations") is { } rv ? Amount(rv, KeyPath.Join(P("resources"), "reservations"), r) : null,
                },
            };
        }

        if (m.Get("placement") is { } placement)
        {
            deploy = deploy with { Placement = Placement(placement, P("placement"), r) };
        }

        return deploy;
    }

    public static Dictionary<string, string> Labels(ComposeNode node, string path, NodeReader r) =>
        (r.StringMap(node, path, _ => "") ?? []).ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal);

    private static RestartPolicySpec RestartPolicy(ComposeNode node, string path, NodeReader r)
    {
        var policy = new RestartPolicySpec();
        if (r.Section(node, path, KnownKeys.RestartPolicy) is not { } m)
        {
            return policy;
        }

        string P(string key) => KeyPath.Join(path, key);
        if (m.Get("condition") is { } c)
        {
            policy = policy with { Condition = r.OneOf(c, P("condition"), RestartConditions.None, RestartConditions.OnFailure, RestartConditions.Any) ?? policy.Condition };
        }

        if (m.Get("delay") is { } d)
        {
            policy = policy with { Delay = r.Duration(d, P("delay")) ?? policy.Delay };
        }

        if (m.Get("max_attempts") is { } a)
        {
            policy = policy with { MaxAttempts = r.Int(a, P("max_attempts"), 0) };
        }

        if (m.Get("window") is { } w)
        {
            policy = policy with { Window = r.Duration(w, P("window")) };
        }

        return policy;
    }

    private static UpdateConfigSpec UpdateConfig(ComposeNode node, string path, NodeReader r)
    {
        var config = new UpdateConfigSpec();
        if (r.Section(node, path, KnownKeys.UpdateConfig) is not { } m)
        {
            return config;
        }

        string P(string key) => KeyPath.Join(path, key);
        if (m.Get("parallelism") is { } p)
        {
            config = config with { Parallelism = r.Int(p, P("parallelism"), 0) ?? config.Parallelism };
        }

        if (m.Get("delay") is { } d)
        {
            config = config with { Delay = r.Duration(d, P("delay")) ?? config.Delay };
        }

        if (m.Get("failure_action") is { } f)
        {
            config = config with { FailureAction = r.OneOf(f, P("failure_action"), "pause", "continue", "rollback") ?? config.FailureAction };
        }

        if (m.Get("monitor") is { } mon)
        {
            config = config with { Monitor = r.Duration(mon, P("monitor")) ?? config.Monitor };
        }

        if (m.Get("max_failure_ratio") is { } ratio)
        {
            config = config with { MaxFailureRatio = r.Double(ratio, P("max_failure_ratio"), 0, 1) ?? config.MaxFailureRatio };
        }

        if (m.Get("order") is { } o)
        {
            config = config with { Order = r.OneOf(o, P("order"), "stop-first", "start-first") ?? config.Order };
        }

        return config;
    }

    private static ResourceAmountSpec? Amount(ComposeNode node, string path, NodeReader r)
    {
        if (r.Section(node, path, KnownKeys.ResourceAmount) is not { } m)
        {
            return null;
        }

        long? memory = null;
        if (m.Get("memory") is { } mem && r.String(mem, KeyPath.Join(path, "memory")) is { } text)
        {
            if (ByteSizeParser.TryParse(text, out var bytes) && bytes > 0)
            {
                memory = bytes;
            }
            else
            {
                r.Diagnostics.Error(mem, KeyPath.Join(path, "memory"), $"must be a memory size like {ByteSizeParser.Examples} (got \"{text}\")");
            }
        }

        return new ResourceAmountSpec
        {
            Cpus = m.Get("cpus") is { } cpus ? r.Double(cpus, KeyPath.Join(path, "cpus"), 0, double.MaxValue, minExclusive: true) : null,
            MemoryBytes = memory,
            Pids = m.Get("pids") is { } pids ? r.Int(pids, KeyPath.Join(path, "pids"), 1) : null,
        };
    }

    private static PlacementSpec Placement(ComposeNode node, string path, NodeReader r)
    {
        var placement = new PlacementSpec();
        if (r.Section(node, path, KnownKeys.Placement) is not { } m)
        {
            return placement;
        }

        if (m.Get("constraints") is { } c)
        {
            placement = placement with { Constraints = r.StringList(c, KeyPath.Join(path, "constraints")) ?? [] };
        }

        if (m.Get("preferences") is { } prefs)
        {
            placement = placement with { Preferences = Preferences(prefs, KeyPath.Join(path, "preferences"), r) };
        }

        if (m.Get("max_replicas_per_node") is { } max)
        {
            placement = placement with { MaxReplicasPerNode = r.Int(max, KeyPath.Join(path, "max_replicas_per_node"), 0) };
        }

        return placement;
    }

    private static List<string> Preferences(ComposeNode node, string path, NodeReader r)
    {
        var result = new List<string>();
        if (node is not SequenceNode list)
        {
            r.Diagnostics.Error(node, path, $"must be a list of {{spread: node.labels.X}} (got {NodeReader.Describe(node)})");
            return result;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = KeyPath.Index(path, i);
            if (list.Items[i] is MappingNode { Entries.Count: 1 } pref && pref.Get("spread") is { } spread)
            {
                if (r.String(spread, KeyPath.Join(itemPath, "spread")) is { } value)
                {
                    result.Add(value);
                }
            }
            else
            {
                r.Diagnostics.Error(list.Items[i], itemPath, "must be {spread: <label>}, e.g. {spread: node.labels.zone}");
            }
        }

        return result;
    }
}
