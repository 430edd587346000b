namespace Berth.Cli.Api;

/// <summary>The wire shape of <see cref="Berth.Api.ErrorResponse"/>, tolerant of missing fields.</summary>
internal sealed record ErrorBody(string? Error, IReadOnlyList<string>? Details);
