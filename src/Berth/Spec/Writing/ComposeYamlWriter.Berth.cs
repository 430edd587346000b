namespace Berth.Spec.Writing;

/// <summary>The service's <c>x-berth</c> field, written back as the loader reads it.</summary>
public static partial class ComposeYamlWriter
{
    private static void WriteBerth(YamlEventWriter y, BerthServiceSpec b)
    {
        var strategy = b.Strategy;
        var rolling = strategy.Kind == StrategySpec.RollingKind;
        if (b.Process is null && b.Artifact is null && b.Health.HttpPath is null && b.Router is null && b.Runtime is null && rolling)
        {
            return;
        }

        // Keys in alphabetical order, like every other mapping written here.
        y.Key("x-berth").BeginMap();
        if (strategy.BlueGreen is { } blueGreen)
        {
            y.Key("blue_green");
            StrategyYamlWriter.WriteBlueGreen(y, blueGreen);
        }

        if (strategy.Canary is { } canary)
        {
            y.Key("canary");
            StrategyYamlWriter.WriteCanary(y, canary);
        }

        if (b.Health.HttpPath is { } httpPath)
        {
            y.Key("health").BeginMap().Key("http_path").Str(httpPath).EndMap();
        }

        if (b.Artifact is { } artifact)
        {
            y.Key("artifact").BeginMap();
            WriteList(y, "command", artifact.Command);
            y.Key("output").Str(artifact.Output);
            y.EndMap();
        }

        if (b.Process is { } p)
        {
            y.Key("process").BeginMap();
            WriteList(y, "command", p.Command);
            WriteMap(y, "environment", p.Environment);
            y.OptionalKey("working_dir", p.WorkingDir);
            if (p.FromArtifact)
            {
                y.Key("artifact").Bool(true);
            }

            y.EndMap();
        }

        if (b.Router is { } router)
        {
            y.Key("router");
            RouterYamlWriter.Write(y, router);
        }

        y.OptionalKey("runtime", b.Runtime);

        if (!rolling)
        {
            y.Key("strategy").Str(strategy.Kind);
        }

        y.EndMap();
    }
}
