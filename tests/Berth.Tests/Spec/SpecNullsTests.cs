using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>A spec sent over the API with null where its types require a value is refused naming each path (found by the API fuzzer: `"deploy": null` answered 500).</summary>
public sealed class SpecNullsTests
{
    [Fact]
    public void Find_NullsWhereValuesAreRequired_EachNamedByItsJsonPath()
    {
        var spec = new ComposeSpec
        {
            Services = new Dictionary<string, ServiceSpec>
            {
                ["web"] = new() { Name = "web", Deploy = null!, Berth = null! },
                ["db"] = null!,
            },
        };

        var problems = SpecNulls.Find(spec, "spec");

        Assert.Contains("spec.services.web.deploy: null, but a value is required", problems);
        Assert.Contains("spec.services.web.berth: null, but a value is required", problems);
        Assert.Contains("spec.services.db: null, but a value is required", problems);
    }

    [Fact]
    public void Find_AWholeSpecAsTheLoaderMakesIt_NoProblem()
    {
        var spec = new ComposeSpec
        {
            Services = new Dictionary<string, ServiceSpec>
            {
                ["web"] = new() { Name = "web", Image = null, Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["true"] } } },
            },
        };

        Assert.Empty(SpecNulls.Find(spec, "spec"));
        Assert.Equal(["spec: null, but a value is required"], SpecNulls.Find(null, "spec"));
    }
}
