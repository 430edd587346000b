namespace Berth.Pipeline;

/// <summary>Wakes the pipeline worker at once (after a release, an approval, a rollback) instead of at its next tick.</summary>
public sealed class PipelineSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked: one wake-up covers both.
        }
    }

    /// <summary>Waits for a poke or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
