namespace Berth.Spec.Loading;

/// <summary>Builds <see cref="HealthcheckSpec"/>: test string → CMD-SHELL, list starting with CMD / CMD-SHELL / NONE.</summary>
internal static class HealthcheckSpecBuilder
{
    private static readonly string[] TestKinds = ["CMD", "CMD-SHELL", "NONE"];

    public static HealthcheckSpec? Build(ComposeNode node, string path, NodeReader r)
    {
        if (r.Section(node, path, KnownKeys.Healthcheck) is not { } m)
        {
            return null;
        }

        string P(string key) => KeyPath.Join(path, key);
        var spec = new HealthcheckSpec();
        if (m.Get("test") is { } test)
        {
            spec = spec with { Test = Test(test, P("test"), r) };
        }

        if (m.Get("interval") is { } interval)
        {
            spec = spec with { Interval = r.Duration(interval, P("interval")) ?? spec.Interval };
        }

        if (m.Get("timeout") is { } timeout)
        {
            spec = spec with { Timeout = r.Duration(timeout, P("timeout")) ?? spec.Timeout };
        }

        if (m.Get("start_period") is { } startPeriod)
        {
            spec = spec with { StartPeriod = r.Duration(startPeriod, P("start_period")) ?? spec.StartPeriod };
        }

        if (m.Get("start_interval") is { } startInterval)
        {
            spec = spec with { StartInterval = r.Duration(startInterval, P("start_interval")) ?? spec.StartInterval };
        }

        if (m.Get("retries") is { } retries)
        {
            spec = spec with { Retries = r.Int(retries, P("retries"), 0) ?? spec.Retries };
        }

        var disabled = m.Get("disable") is { } disable && r.Bool(disable, P("disable")) == true;
        return spec with { Disabled = disabled || spec.Test is ["NONE", ..] };
    }

    private static List<string> Test(ComposeNode node, string path, NodeReader r)
    {
        if (node is ScalarNode { Value: not null } s)
        {
            return ["CMD-SHELL", s.Value];
        }

        var list = r.StringList(node, path, acceptString: false) ?? [];
        if (list.Count > 0 && !TestKinds.Contains(list[0], StringComparer.Ordinal))
        {
            r.Diagnostics.Error(node, path, $"a test list must start with one of: {string.Join(", ", TestKinds)} (got \"{list[0]}\")");
        }
        else if (list.Count == 1 && list[0] != "NONE")
        {
            r.Diagnostics.Error(node, path, $"{list[0]} must be followed by the command to run, e.g. [\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]");
        }

        return list;
    }
}
