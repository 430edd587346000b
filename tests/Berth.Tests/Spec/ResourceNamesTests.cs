using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class ResourceNamesTests
{
    [Theory]
    [InlineData("articles", true)]
    [InlineData("articles_app", true)]
    [InlineData("v1.2-beta", true)]
    [InlineData("9lives", true)]
    [InlineData("..", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("my app", false)]
    [InlineData(".hidden", false)]
    [InlineData("-flag", false)]
    [InlineData("", false)]
    public void IsValid_Table_FollowsTheOneRule(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.IsValid(name));
    }

    [Fact]
    public void StackProblem_TooLong_SaysTheLimit()
    {
        var problem = ResourceNames.StackProblem(new string('a', 64));

        Assert.NotNull(problem);
        Assert.EndsWith("at most 63 characters", problem, StringComparison.Ordinal);
        Assert.Null(ResourceNames.StackProblem(new string('a', 63)));
    }

    [Fact]
    public void ServiceProblem_Slash_StatesTheRule()
    {
        Assert.Equal(
            "invalid service name \"a/b\": use letters, digits, '_', '.', '-' (starting with a letter or digit)",
            ResourceNames.ServiceProblem("a/b"));
    }
}
