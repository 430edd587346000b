using Berth.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Berth.Tests.Dashboard;

/// <summary>
/// Headless Debian Chromium driven by Playwright (never a downloaded browser), with one page per signed-in user of a
/// real server's dashboard. Screenshots go to artifacts/dashboard/ (kept by CI as test artifacts).
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "artifacts", "dashboard");

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A new browser context (its own cookies) on the server's dashboard, signed in with <paramref name="token"/> through the sign-in form.</summary>
    public async Task<IPage> SignInAsync(Uri server, string token, int width = 1280, int height = 900, string colorScheme = "light")
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#who").GetByText(new System.Text.RegularExpressions.Regex("admin|viewer|deployer|approver")).WaitForAsync();
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
