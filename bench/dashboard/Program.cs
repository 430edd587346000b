using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

// bench/dashboard's driver (see run.sh):
//   render   URL TOKEN ROWS RUNS        median ms from navigation to the overview showing ROWS service rows (fresh browser context each run)
//   snapshot URL TOKEN ROWS OUT.html    the rendered overview as static HTML (scripts removed): the peer's page
//   static   URL ROWS RUNS              median ms to show the same rows from a static page (the peer, served by nginx)
//   streams  URL TOKEN SERVICE N SECS   N dashboards' live streams of SERVICE for SECS seconds; prints messages received
var mode = args[0];
switch (mode)
{
    case "render":
        Console.WriteLine(await RenderAsync(new Uri(args[1]), args[2], int.Parse(args[3]), int.Parse(args[4])));
        break;
    case "snapshot":
        await SnapshotAsync(new Uri(args[1]), args[2], int.Parse(args[3]), args[4]);
        break;
    case "static":
        Console.WriteLine(await StaticAsync(new Uri(args[1]), int.Parse(args[2]), int.Parse(args[3])));
        break;
    case "streams":
        Console.WriteLine(await StreamsAsync(new Uri(args[1]), args[2], args[3], int.Parse(args[4]), int.Parse(args[5])));
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

return 0;

static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
    await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });

static async Task<double> RenderAsync(Uri url, string token, int rows, int runs)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await LaunchAsync(playwright);
    var cookie = await SignInCookieAsync(url, token);
    var times = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync(new() { BaseURL = url.ToString() });
        await context.AddCookiesAsync([new Cookie { Name = "berth_session", Value = cookie, Domain = url.Host, Path = "/ui", HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/#/");
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('main table tbody tr').length >= {rows}", null, new() { Timeout = 60_000, PollingInterval = 5 });
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    return Median(times);
}

static async Task SnapshotAsync(Uri url, string token, int rows, string output)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await LaunchAsync(playwright);
    var cookie = await SignInCookieAsync(url, token);
    await using var context = await browser.NewContextAsync(new() { BaseURL = url.ToString() });
    await context.AddCookiesAsync([new Cookie { Name = "berth_session", Value = cookie, Domain = url.Host, Path = "/ui", HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
    var page = await context.NewPageAsync();
    await page.GotoAsync("/#/");
    await page.WaitForFunctionAsync($"() => document.querySelectorAll('main table tbody tr').length >= {rows}", null, new() { Timeout = 60_000 });
    var html = Regex.Replace(await page.ContentAsync(), "<script[^>]*>.*?</script>", "", RegexOptions.Singleline);
    await File.WriteAllTextAsync(output, html);
}

static async Task<double> StaticAsync(Uri url, int rows, int runs)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await LaunchAsync(playwright);
    var times = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(url.ToString());
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('main table tbody tr').length >= {rows}", null, new() { Timeout = 60_000, PollingInterval = 5 });
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    return Median(times);
}

static async Task<long> StreamsAsync(Uri url, string token, string service, int count, int seconds)
{
    var cookie = await SignInCookieAsync(url, token);
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    long messages = 0;
    var readers = Enumerable.Range(0, count).Select(async _ =>
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ui/live?service={Uri.EscapeDataString(service)}");
        request.Headers.Add("Cookie", $"berth_session={cookie}");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref messages);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }).ToList();
    await Task.WhenAll(readers);
    return messages;
}

static async Task<string> SignInCookieAsync(Uri url, string token)
{
    using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = url };
    using var response = await http.PostAsJsonAsync("/ui/session", new { token });
    response.EnsureSuccessStatusCode();
    var header = response.Headers.GetValues("Set-Cookie").Single();
    return header.Split(';')[0].Split('=', 2)[1];
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}
