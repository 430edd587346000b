namespace Berth.Tests.Infrastructure;

/// <summary>
/// A test that drives Debian's Chromium (/usr/bin/chromium, installed by scripts/test.sh). Without it the test is
/// skipped on a developer's machine; with CI=true it runs anyway and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && !DockerEngine.IsCi)
        {
            Skip = $"no browser at {ChromiumPath} (apt-get install chromium, or run scripts/test.sh; with CI=true this test fails instead)";
        }
    }
}
