namespace Berth.Api;

/// <summary>A request Berth refuses (bad input, unknown name, conflict); nothing was changed. The server maps it to 400/404/409.</summary>
public sealed class ProblemException : Exception
{
    public ProblemException(ProblemKind kind, string message, IReadOnlyList<string>? details = null)
        : base(message)
    {
        Kind = kind;
        Details = details ?? [];
    }

    public ProblemKind Kind { get; }
    public IReadOnlyList<string> Details { get; }

    public static ProblemException Invalid(string message, IReadOnlyList<string>? details = null) => new(ProblemKind.Invalid, message, details);
    public static ProblemException NotFound(string message) => new(ProblemKind.NotFound, message);
    public static ProblemException Conflict(string message) => new(ProblemKind.Conflict, message);
    public static ProblemException NoSpace(string message) => new(ProblemKind.NoSpace, message);
}

/// <summary>Why a request was refused.</summary>
public enum ProblemKind
{
    Invalid,
    NotFound,
    Conflict,

    /// <summary>The server's disk is full (507): nothing was kept; free space and send it again.</summary>
    NoSpace,
}
