namespace Berth.Api;

/// <summary>Body of every non-2xx API answer: one message for people, details (one per problem) for all of them.</summary>
public sealed record ErrorResponse
{
    public ErrorResponse(string error, IReadOnlyList<string>? details = null)
    {
        Error = error;
        Details = details ?? [];
    }

    public string Error { get; init; }

    public IReadOnlyList<string> Details { get; init; }
}
