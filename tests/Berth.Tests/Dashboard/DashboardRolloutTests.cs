using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Berth.Tests.Strategies;
using Microsoft.Playwright;

namespace Berth.Tests.Dashboard;

/// <summary>The dashboard in Debian's Chromium against a real server and the example app under a canary.</summary>
public sealed class DashboardRolloutTests
{
    private const string WaitingCanary = """
        strategy: canary
        canary:
          steps:
            - weight: 20
            - pause: 3s
            - weight: 50
            - pause: {}
          analysis:
            interval: 2s
            min_requests: 5
            metrics:
              - name: error_rate
                max: 5%
              - name: latency_p95
                max: 800ms
        """;

    [BrowserFact]
    public async Task Canary_AdvancesLiveWithoutReload_AbortFromThePage_RollsBackAndReports()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), WaitingCanary));
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.SignInAsync(rig.Server.Address, rig.Server.AdminToken);

        // The overview lists the stack and its service.
        await page.GetByRole(AriaRole.Link, new() { Name = StrategyRig.Service }).WaitForAsync();
        await DashboardBrowser.ScreenshotAsync(page, "overview");

        await page.GetByRole(AriaRole.Link, new() { Name = StrategyRig.Service }).ClickAsync();
        await Assertions.Expect(page.Locator("#release")).ToHaveTextAsync("1");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        var traffic = new UserTraffic(rig.Compose.Port, workers: 4, users: 200, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(5));
        await rig.DeployDetachedAsync("2");

        // The weight moves 20 → 50 on the page while it stays the same document (no reload).
        await Assertions.Expect(page.Locator("#weight")).ToHaveTextAsync("20 %", new() { Timeout = 40_000 });
        var candidateLine = page.Locator("figure[data-chart='rate'] path.line.candidate");
        await candidateLine.WaitForAsync();
        var before = await candidateLine.GetAttributeAsync("d");
        await Assertions.Expect(page.Locator("#weight")).ToHaveTextAsync("50 %", new() { Timeout = 40_000 });
        await Assertions.Expect(page.Locator("#rollout-step")).ToContainTextAsync("pause (until promote)");
        var after = await candidateLine.GetAttributeAsync("d");
        Assert.NotEqual(before, after);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");

        // The thresholds of the analysis are drawn on the error-rate and p95 charts.
        await Assertions.Expect(page.Locator("figure[data-chart='error-rate'] .threshold-label")).ToContainTextAsync("max 5.0 %");
        await Assertions.Expect(page.Locator("figure[data-chart='p95'] .threshold-label")).ToContainTextAsync("max 800 ms");
        await DashboardBrowser.ScreenshotAsync(page, "service-canary");
        await DashboardA11y.AssertNoSeriousViolationsAsync(page, "service page during a canary");

        // Abort: a confirmation, then the rollback, the result and the report's timeline.
        await page.GetByRole(AriaRole.Button, new() { Name = "Abort" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("All traffic goes back to release 1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Abort" }).ClickAsync();
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("rollout aborted");
        await Assertions.Expect(page.Locator("#rollout-state")).ToHaveTextAsync(new Regex("aborted|rolled_back"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#weight")).ToHaveTextAsync("0 %", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("abort", new() { Timeout = 20_000 });
        await DashboardBrowser.ScreenshotAsync(page, "service-aborted");
        await traffic.StopAsync();

        var rollout = await rig.RolloutAsync();
        Assert.NotNull(rollout);
        Assert.Contains(rollout.State, new[] { "aborted", "rolled_back" });
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);

        // The abort is in the audit log under the token that signed in, like a CLI call.
        var audit = await rig.Server.Http.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit, ApiJson.Options);
        Assert.Contains(audit!, e => e.Action == "service.abort" && e.Who == "local-admin" && e.Status == 200);
    }
}
