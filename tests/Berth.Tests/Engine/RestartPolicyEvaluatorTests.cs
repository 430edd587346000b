using Berth.Engine;
using Berth.Engine.Replicas;
using Berth.Spec;

namespace Berth.Tests.Engine;

public sealed class RestartPolicyEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_ConditionAny_RestartsAfterDelay()
    {
        var decision = RestartPolicyEvaluator.Decide(new RestartPolicySpec { Delay = TimeSpan.FromSeconds(5) }, 0, Now, [], Now);

        Assert.Equal(RestartAction.Restart, decision.Action);
        Assert.Equal(Now.AddSeconds(5), decision.At);
    }

    [Fact]
    public void Decide_DefaultPolicy_IsSwarmsAnyWithFiveSecondDelay()
    {
        var decision = RestartPolicyEvaluator.Decide(new RestartPolicySpec(), 1, Now, [], Now);

        Assert.Equal(RestartAction.Restart, decision.Action);
        Assert.Equal(Now.AddSeconds(5), decision.At);
    }

    [Fact]
    public void Decide_ConditionNone_StaysDown()
    {
        var decision = RestartPolicyEvaluator.Decide(new RestartPolicySpec { Condition = RestartConditions.None }, 1, Now, [], Now);

        Assert.Equal(RestartAction.StayDown, decision.Action);
        Assert.Contains("condition none", decision.Reason);
    }

    [Theory]
    [InlineData(0, RestartAction.StayDown)]
    [InlineData(1, RestartAction.Restart)]
    [InlineData(137, RestartAction.Restart)]
    [InlineData(null, RestartAction.Restart)]
    public void Decide_OnFailure_RestartsOnlyAfterAFailure(int? exitCode, RestartAction expected)
    {
        var decision = RestartPolicyEvaluator.Decide(new RestartPolicySpec { Condition = RestartConditions.OnFailure }, exitCode, Now, [], Now);

        Assert.Equal(expected, decision.Action);
    }

    [Fact]
    public void Decide_MaxAttemptsReached_GivesUpWithReason()
    {
        var policy = new RestartPolicySpec { MaxAttempts = 3 };

        var decision = RestartPolicyEvaluator.Decide(policy, 2, Now, [Now.AddSeconds(-3), Now.AddSeconds(-2), Now.AddSeconds(-1)], Now);

        Assert.Equal(RestartAction.GiveUp, decision.Action);
        Assert.Contains("max_attempts 3", decision.Reason);
        Assert.Contains("exit code 2", decision.Reason);
    }

    [Fact]
    public void Decide_MaxAttemptsZero_MeansUnlimitedAsSwarm()
    {
        var decision = RestartPolicyEvaluator.Decide(new RestartPolicySpec { MaxAttempts = 0 }, 1, Now, Enumerable.Repeat(Now, 50).ToList(), Now);

        Assert.Equal(RestartAction.Restart, decision.Action);
    }

    [Fact]
    public void Decide_Window_CountsOnlyRestartsInsideIt()
    {
        var policy = new RestartPolicySpec { MaxAttempts = 2, Window = TimeSpan.FromMinutes(1) };
        IReadOnlyList<DateTimeOffset> old = [Now.AddMinutes(-5), Now.AddMinutes(-4), Now.AddSeconds(-10)];

        Assert.Equal(RestartAction.Restart, RestartPolicyEvaluator.Decide(policy, 1, Now, old, Now).Action);
        Assert.Equal(RestartAction.GiveUp, RestartPolicyEvaluator.Decide(policy, 1, Now, [.. old, Now.AddSeconds(-5)], Now).Action);
    }
}
