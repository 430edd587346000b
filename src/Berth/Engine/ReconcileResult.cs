namespace Berth.Engine;

/// <summary>What a reconcile pass concluded: converged, or look again after a delay.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter, string Summary)
{
    public static ReconcileResult Done(string summary = "converged") => new(null, summary);
    public static ReconcileResult After(TimeSpan delay, string summary) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, summary);
}
