namespace Berth.Runtimes;

/// <summary>Why a runtime refused an operation (see <see cref="RuntimeRefusedException"/>).</summary>
public enum RuntimeRefusal
{
    /// <summary>A value the runtime does not accept (an unknown availability, an ambiguous node id).</summary>
    InvalidValue,

    /// <summary>An object the runtime does not know (a node).</summary>
    UnknownObject,

    /// <summary>An operation the runtime cannot do in its present state or at all (drain on the process runtime).</summary>
    NotPossible,
}
