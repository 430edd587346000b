using System.ComponentModel.DataAnnotations;

namespace Berth.Security;

/// <summary>Limits of the API's access control (`berth server` settings).</summary>
public sealed class SecurityOptions
{
    /// <summary>The longest lifetime `berth token create --expires` accepts. Default 3650 days; tokens may also never expire.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>Failed authentications from one address within <see cref="FailureWindow"/> before it is refused with 429. Default 10.</summary>
    [Range(1, 10_000)]
    public int FailuresBeforeLockout { get; set; } = 10;

    /// <summary>The window failures are counted in. Default 1 minute.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a locked-out address waits (doubling on each new lockout, up to 15 minutes). Default 30 seconds.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body the API reads. Default 16 MiB (a deploy with every secret at its 500 KiB limit fits).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 16L * 1024 * 1024;
}
