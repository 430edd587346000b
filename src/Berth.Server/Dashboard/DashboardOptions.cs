namespace Berth.Server.Dashboard;

public sealed class DashboardOptions
{
    /// <summary>A session unused this long ends (sign in again).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in, used or not.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Sessions kept at most; signing in beyond it ends the least recently used.</summary>
    public int MaxSessions { get; set; } = 1000;
}
