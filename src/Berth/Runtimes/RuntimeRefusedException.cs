namespace Berth.Runtimes;

/// <summary>
/// A runtime refused an operation and changed nothing: a value it does not accept, an object it does not know, or an
/// operation it cannot do. The runtimes know nothing of HTTP; the API maps <see cref="Reason"/> to 400, 404 or 409.
/// </summary>
public sealed class RuntimeRefusedException : Exception
{
    public RuntimeRefusedException(RuntimeRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public RuntimeRefusal Reason { get; }
}
