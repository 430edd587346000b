using Berth.Spec;

namespace Berth.Engine.Progressive;

/// <summary>Picks the planner of a rollout's strategy.</summary>
public static class ProgressivePlanner
{
    public static ProgressivePlan Plan(ProgressiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Rollout.Strategy == StrategySpec.CanaryKind ? CanaryPlanner.Plan(input) : BlueGreenPlanner.Plan(input);
    }
}
