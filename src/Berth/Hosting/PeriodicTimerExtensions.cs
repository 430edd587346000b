namespace Berth.Hosting;

/// <summary>The wait every background loop of Berth's makes between two rounds.</summary>
public static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick: true then; false once the timer is disposed or <paramref name="cancellationToken"/> is cancelled (the loop ends).</summary>
    public static async Task<bool> NextTickOrStopAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
