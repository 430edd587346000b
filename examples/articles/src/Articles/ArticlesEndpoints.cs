namespace Articles;

/// <summary>HTTP endpoints: HTML page, JSON API, health and info.</summary>
public static class ArticlesEndpoints
{
    public const string TitleRequired = "title is required";

    public static void MapArticles(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok", "text/plain"));

        app.MapGet("/api/info", (ArticlesOptions o) => Results.Json(new
        {
            version = o.Version,
            replica = o.ReplicaId,
            pid = o.ProcessId,
            startedAt = o.StartedAt,
        }));

        app.MapGet("/", (ArticlesOptions o, ArticleStore store) =>
            Results.Content(HomePage.Render(o, store.List()), "text/html; charset=utf-8"));

        // HTML form post (read manually: no antiforgery for this demo form).
        app.MapPost("/articles", async (HttpContext ctx, ArticlesOptions o, ArticleStore store) =>
        {
            if (!ctx.Request.HasFormContentType)
            {
                return Results.BadRequest(new { error = "expected a form post" });
            }

            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var title = form["title"].ToString().Trim();
            if (title.Length == 0)
            {
                return Results.Content(HomePage.Render(o, store.List(), TitleRequired),
                    "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            store.Add(title, form["body"].ToString());
            return Results.Redirect("/", permanent: false, preserveMethod: false);
        });

        var api = app.MapGroup("/api/articles");
        api.MapGet("/", (ArticleStore store) => Results.Ok(store.List()));
        api.MapGet("/{id:long}", (long id, ArticleStore store) =>
            store.Get(id) is { } a ? Results.Ok(a) : Results.NotFound(new { error = $"article {id} not found" }));
        api.MapPost("/", (CreateArticleRequest? request, ArticleStore store) =>
        {
            var title = request?.Title?.Trim();
            if (string.IsNullOrEmpty(title))
            {
                return Results.BadRequest(new { error = TitleRequired });
            }

            var article = store.Add(title, request!.Body ?? string.Empty);
            return Results.Created($"/api/articles/{article.Id}", article);
        });
        api.MapDelete("/{id:long}", (long id, ArticleStore store) =>
            store.Delete(id) ? Results.NoContent() : Results.NotFound(new { error = $"article {id} not found" }));
    }
}
