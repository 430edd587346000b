namespace Berth.Api;

/// <summary>Body of every non-2xx API answer: one message for people, details (one per problem) for all of them.</summary>
public sealed record ErrorResponse(string Error, IReadOnlyList<string> Details)
{
    public ErrorResponse(string error) : this(error, []) { }
}
