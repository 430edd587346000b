using System.Globalization;
using System.Net;
using System.Text;

namespace Articles;

/// <summary>Renders the HTML home page: version, serving replica, articles, add form.</summary>
public static class HomePage
{
    public static string Render(ArticlesOptions options, IReadOnlyList<Article> articles, string? error = null)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="fr">
            <head>
              <meta charset="utf-8">
              <title>Articles v{{E(options.Version)}}</title>
              <style>
                body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
                .banner { background: #1e3a5f; color: #fff; padding: 1rem 1.5rem; border-radius: .5rem; }
                .version { font-size: 2.5rem; font-weight: bold; }
                .replica { font-family: monospace; }
                article { border-bottom: 1px solid #ddd; padding: .5rem 0; }
                .error { color: #b00020; }
                form input, form textarea { display: block; width: 100%; margin: .25rem 0 .75rem; }
              </style>
            </head>
            <body>
              <div class="banner">
                <div class="version" id="version">Version {{E(options.Version)}}</div>
                <div>Served by replica <span class="replica" id="replica">{{E(options.ReplicaId)}}</span>
                  (pid <span class="replica" id="pid">{{options.ProcessId}}</span>)</div>
              </div>
              <h1>Articles</h1>

            """);
        if (error is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  <p class=\"error\">{E(error)}</p>\n");
        }

        if (articles.Count == 0)
        {
            sb.Append("  <p>No articles yet.</p>\n");
        }

        foreach (var a in articles)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"  <article id=\"article-{a.Id}\"><h2>{E(a.Title)}</h2><p>{E(a.Body)}</p></article>\n");
        }

        sb.Append("""
              <h2>Add an article</h2>
              <form method="post" action="/articles">
                <label>Title <input name="title" required></label>
                <label>Body <textarea name="body" rows="4"></textarea></label>
                <button type="submit">Add</button>
              </form>
            </body>
            </html>

            """);
        return sb.ToString();
    }
}
