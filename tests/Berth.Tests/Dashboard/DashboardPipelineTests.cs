using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Berth.Tests.Pipeline;
using Microsoft.Playwright;

namespace Berth.Tests.Dashboard;

/// <summary>
/// The dashboard against a real server running a dev → staging → prod pipeline (prod waits for approval): approving
/// with the keyboard only, what a viewer sees and may do, the session cookie's and the CSRF token's rules, and the
/// accessibility and layout of every page.
/// </summary>
public sealed class DashboardPipelineTests
{
    [BrowserFact]
    public async Task Approver_ApprovesTheWaitingRelease_WithTheKeyboardOnly()
    {
        using var app = new PipelineFixture();
        await using var server = await BerthServerProcess.StartAsync();
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");
        var approver = await TokenAsync(server, "alice", "approver");

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.SignInAsync(server.Address, approver);
        await page.GetByRole(AriaRole.Link, new() { Name = "shop: release 1 → prod" }).WaitForAsync();
        await page.GotoAsync("/#/stack/shop");
        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve release 1" });
        await approve.WaitForAsync();
        await DashboardBrowser.ScreenshotAsync(page, "stack-pending-approval");

        // Tab until the approve button has the focus (bounded), Enter, type a comment, Tab to Confirm, Enter.
        for (var i = 0; i < 40 && !await approve.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.True(await approve.EvaluateAsync<bool>("b => b === document.activeElement"), "the approve button never got the focus with Tab");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("enters prod now");
        await page.Keyboard.TypeAsync("QA ok, approved with the keyboard");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("Release 1 approved for prod");

        var prod = await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").Release == 1, "release 1 in prod");
        Assert.Null(PipelineFixture.Env(prod, "prod").PendingRelease);
        var approval = (await PipelineFixture.HistoryAsync(server, "prod")).Single();
        Assert.Equal(("alice", "QA ok, approved with the keyboard"), (approval.Actor, approval.Comment));
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("QA ok, approved with the keyboard", new() { Timeout = 20_000 });
    }

    [BrowserFact]
    public async Task Viewer_SeesNoActions_AndTheServerRefusesForgedAndCrossSiteCalls()
    {
        using var app = new PipelineFixture();
        await using var server = await BerthServerProcess.StartAsync();
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");
        var viewerToken = await TokenAsync(server, "vera", "viewer");
        const string Service = "shop-staging_web";

        await using var browser = await DashboardBrowser.LaunchAsync();
        var viewer = await browser.SignInAsync(server.Address, viewerToken);
        await viewer.GotoAsync("/#/stack/shop");
        await Assertions.Expect(viewer.Locator("[data-env='prod']")).ToContainTextAsync("waits for approval");
        await Assertions.Expect(viewer.Locator("[data-action]")).ToHaveCountAsync(0);
        await viewer.GotoAsync($"/#/service/{Service}");
        await Assertions.Expect(viewer.Locator("#release")).ToHaveTextAsync("1");
        await Assertions.Expect(viewer.Locator("[data-action]")).ToHaveCountAsync(0);
        await DashboardBrowser.ScreenshotAsync(viewer, "service-viewer");

        // A forged call from the viewer's own page, with its valid CSRF token: refused by role (403), audited.
        var forged = await FetchAsync(viewer, "POST", $"/ui/api/v1/stacks/shop/environments/prod/approve", """{"release":1}""", withCsrf: true);
        Assert.Equal(403, forged.Status);
        Assert.Contains("approve needs approver or admin", forged.Body, StringComparison.Ordinal);
        Assert.Null(PipelineFixture.Env(await PipelineFixture.EnvironmentsAsync(server), "prod").Release);

        // An admin's session without the CSRF token (what a cross-site form could send): refused, nothing changes.
        var admin = await browser.SignInAsync(server.Address, server.AdminToken);
        var noCsrf = await FetchAsync(admin, "POST", "/ui/api/v1/stacks/shop/environments/prod/approve", """{"release":1}""", withCsrf: false);
        Assert.Equal(403, noCsrf.Status);
        Assert.Contains("CSRF", noCsrf.Body, StringComparison.Ordinal);
        var wrongCsrf = await admin.EvaluateAsync<int>(
            "async () => (await fetch('/ui/api/v1/services/scale', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-Berth-CSRF': 'forged'}, body: '{\"replicas\":{\"shop-staging_web\":3}}'})).status");
        Assert.Equal(403, wrongCsrf);
        Assert.Null(PipelineFixture.Env(await PipelineFixture.EnvironmentsAsync(server), "prod").Release);
        Assert.Equal(1, (await server.ServiceAsync(Service)).DesiredReplicas);

        // The cookie authenticates the dashboard's routes only: /api/v1 keeps bearer tokens.
        Assert.Equal(401, (await FetchAsync(admin, "GET", "/api/v1/whoami", null, withCsrf: false)).Status);
        Assert.Equal(200, (await FetchAsync(admin, "GET", "/ui/api/v1/whoami", null, withCsrf: false)).Status);

        // The audit log names who tried what.
        var audit = (await server.Http.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit, ApiJson.Options))!;
        Assert.Contains(audit, e => e.Who == "vera" && e.Action == "env.approve" && e.Status == 403);
        Assert.Contains(audit, e => e.Action == "dashboard.csrf" && e.Status == 403);

        // Revoking the viewer's token ends its session at once; signing out ends the admin's.
        (await server.Http.DeleteAsync(ApiRoutes.Token("vera"))).EnsureSuccessStatusCode();
        Assert.Equal(401, (await FetchAsync(viewer, "GET", "/ui/overview", null, withCsrf: false)).Status);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await admin.GetByLabel("Token").WaitForAsync();
        Assert.Equal(401, (await FetchAsync(admin, "GET", "/ui/overview", null, withCsrf: false)).Status);
    }

    [BrowserFact]
    public async Task EveryPage_HasNoSeriousAccessibilityViolation_AndNoHorizontalScroll_At375And1280_LightAndDark()
    {
        using var app = new PipelineFixture();
        await using var server = await BerthServerProcess.StartAsync();
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");

        await using var browser = await DashboardBrowser.LaunchAsync();
        var pages = new (string Name, string Hash, string Ready)[]
        {
            ("overview", "/#/", "h2:has-text('Environments')"),
            ("stack", "/#/stack/shop", "#history table"),
            ("service", "/#/service/shop-staging_web", "#replicas table"),
            ("events", "/#/events", "#rows tr"),
            ("audit", "/#/audit", "#rows tr"),
            ("nodes", "/#/nodes", "#nodes table"),
        };
        foreach (var (width, scheme) in new[] { (1280, "light"), (375, "dark") })
        {
            var page = await browser.SignInAsync(server.Address, server.AdminToken, width, 800, scheme);
            Assert.Equal(scheme, await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
            foreach (var (name, hash, ready) in pages)
            {
                await page.GotoAsync(hash);
                await page.Locator(ready).First.WaitForAsync();
                var what = $"{name} at {width} px ({scheme})";
                await DashboardA11y.AssertNoHorizontalScrollAsync(page, what);
                await DashboardA11y.AssertNoSeriousViolationsAsync(page, what);
                await DashboardBrowser.ScreenshotAsync(page, $"{name}-{width}-{scheme}");
            }

            await page.Context.CloseAsync();
        }
    }

    private static async Task<string> TokenAsync(BerthServerProcess server, string name, string role)
    {
        var created = await server.Http.PostAsJsonAsync(ApiRoutes.Tokens, new CreateTokenRequest(name, role, null), ApiJson.Options);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<CreatedToken>(ApiJson.Options))!.Token;
    }

    /// <summary>A fetch from inside the page (its cookie, its origin), optionally with the session's CSRF token.</summary>
    private static async Task<(int Status, string Body)> FetchAsync(IPage page, string method, string path, string? body, bool withCsrf)
    {
        var result = await page.EvaluateAsync<string[]>(
            """
            async ([method, path, body, withCsrf]) => {
              const headers = { 'Content-Type': 'application/json' };
              if (withCsrf) headers['X-Berth-CSRF'] = (await (await fetch('/ui/session')).json()).csrf;
              const r = await fetch(path, { method, headers, body: body ?? undefined });
              return [String(r.status), await r.text()];
            }
            """,
            new object?[] { method, path, body, withCsrf });
        return (int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture), result[1]);
    }
}
