using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Berth.Tests.Dashboard;

/// <summary>Accessibility and layout checks every dashboard page must pass.</summary>
internal static class DashboardA11y
{
    /// <summary>axe-core finds no serious or critical violation on the page as it is now.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: {serious.Count} serious or critical accessibility violations:\n" + string.Join('\n', serious.Select(v =>
            $"  {v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }

    /// <summary>The page is no wider than the window (no horizontal scroll).</summary>
    public static async Task AssertNoHorizontalScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{what}: the page is {widths[0]} px wide in a {widths[1]} px window");
    }
}
