namespace Berth.Store;

/// <summary>A deployed stack as stored.</summary>
public sealed record StackRecord(string Name, IReadOnlyList<string> SourceFiles, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
