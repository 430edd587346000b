namespace Berth.Tests.Infrastructure;

/// <summary>
/// A test that must act as another user (setpriv), which only root may. Skipped on a developer's machine run as
/// another user; with CI=true it runs anyway and fails, as the CI machine runs tests as root.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" && !DockerEngine.IsCi)
        {
            Skip = "needs root to run the CLI as another user (with CI=true this test runs and fails instead)";
        }
    }
}
