namespace Berth.Api;

/// <summary>A deployed stack.</summary>
public sealed record StackInfo(string Name, int Services, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
