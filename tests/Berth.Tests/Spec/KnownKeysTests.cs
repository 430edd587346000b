using System.Text.Json;
using Berth.Spec.Loading;
using Berth.Spec.Schema;

namespace Berth.Tests.Spec;

/// <summary>Berth's table of compose keys names exactly the keys of the vendored Compose schema, section by section.</summary>
public sealed class KnownKeysTests
{
    private static JsonElement Schema => ComposeSchema.Instance.Text.RootElement;

    private static JsonElement Definition(string name) => Schema.GetProperty("definitions").GetProperty(name);

    public static TheoryData<string> Sections() => new(SectionsByName.Keys);

    private static readonly Dictionary<string, (KeySection Section, Func<JsonElement> Properties)> SectionsByName = new()
    {
        ["top level"] = (KnownKeys.TopLevel, () => Schema.GetProperty("properties")),
        ["service"] = (KnownKeys.Service, () => Definition("service").GetProperty("properties")),
        ["build"] = (KnownKeys.Build, () => Definition("service").GetProperty("properties").GetProperty("build").GetProperty("oneOf")[1].GetProperty("properties")),
        ["deploy"] = (KnownKeys.Deploy, () => Definition("deployment").GetProperty("properties")),
        ["restart_policy"] = (KnownKeys.RestartPolicy, () => Definition("deployment").GetProperty("properties").GetProperty("restart_policy").GetProperty("properties")),
        ["update_config"] = (KnownKeys.UpdateConfig, () => Definition("deployment").GetProperty("properties").GetProperty("update_config").GetProperty("properties")),
        ["placement"] = (KnownKeys.Placement, () => Definition("deployment").GetProperty("properties").GetProperty("placement").GetProperty("properties")),
        ["healthcheck"] = (KnownKeys.Healthcheck, () => Definition("healthcheck").GetProperty("properties")),
        ["ports"] = (KnownKeys.Port, () => Definition("service").GetProperty("properties").GetProperty("ports").GetProperty("items").GetProperty("oneOf")[2].GetProperty("properties")),
        ["service secrets"] = (KnownKeys.ServiceSecret, () => Definition("service_config_or_secret").GetProperty("items").GetProperty("oneOf")[1].GetProperty("properties")),
        ["depends_on"] = (KnownKeys.DependsOn, () => Definition("service").GetProperty("properties").GetProperty("depends_on").GetProperty("oneOf")[1].GetProperty("patternProperties").EnumerateObject().First().Value.GetProperty("properties")),
        ["env_file"] = (KnownKeys.EnvFile, () => Definition("env_file").GetProperty("oneOf")[1].GetProperty("items").GetProperty("oneOf")[1].GetProperty("properties")),
        ["top-level secrets"] = (KnownKeys.TopLevelSecret, () => Definition("secret").GetProperty("properties")),
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void KnownKeys_Section_NamesExactlyTheSchemaKeys(string name)
    {
        var (section, properties) = SectionsByName[name];

        var schemaKeys = properties().EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var berthKeys = section.Honoured.Concat(section.Ignored).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(schemaKeys, berthKeys);
    }

    [Fact]
    public void KnownKeys_ResourceAmounts_CoverLimitsAndReservations()
    {
        var resources = Definition("deployment").GetProperty("properties").GetProperty("resources").GetProperty("properties");
        var schemaKeys = new[] { "limits", "reservations" }
            .SelectMany(k => resources.GetProperty(k).GetProperty("properties").EnumerateObject().Select(p => p.Name))
            .Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(schemaKeys, KnownKeys.ResourceAmount.Honoured.Concat(KnownKeys.ResourceAmount.Ignored).Order(StringComparer.Ordinal));
    }
}
