using Berth.Api;
using Berth.Pipeline;
using Berth.Spec;

namespace Berth.Tests.Pipeline;

/// <summary>What `berth diff` shows between two environments' specs: only what differs, per service.</summary>
public sealed class EnvironmentDiffTests
{
    [Fact]
    public void Environments_on_different_targets_differ_by_target_and_only_what_else_differs()
    {
        var dev = Spec(new ServiceSpec { Name = "app", Image = "shop:1", Environment = new Dictionary<string, string?> { ["BERTH_ENVIRONMENT"] = "dev" } });
        var prod = Spec(new ServiceSpec { Name = "app", Image = "shop:1", Target = "prod-east", Environment = new Dictionary<string, string?> { ["BERTH_ENVIRONMENT"] = "prod" } });

        var lines = EnvironmentDiff.Of(dev, prod);

        Assert.Equal(
            [new DiffLine("app", "target", "local", "prod-east"), new DiffLine("app", "environment.BERTH_ENVIRONMENT", "dev", "prod")],
            lines);
    }

    [Fact]
    public void The_same_spec_has_no_difference_and_a_missing_service_is_one()
    {
        var spec = Spec(new ServiceSpec { Name = "app", Image = "shop:1" });

        Assert.Empty(EnvironmentDiff.Of(spec, spec));
        Assert.Equal([new DiffLine("app", "service", "present", null)], EnvironmentDiff.Of(spec, null));
    }

    private static ComposeSpec Spec(ServiceSpec service) => new() { Services = new Dictionary<string, ServiceSpec> { [service.Name] = service } };
}
