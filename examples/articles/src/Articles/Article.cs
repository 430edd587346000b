namespace Articles;

/// <summary>An article as stored and returned by the API.</summary>
public sealed record Article(long Id, string Title, string Body, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /api/articles</c>.</summary>
public sealed record CreateArticleRequest(string? Title, string? Body);
