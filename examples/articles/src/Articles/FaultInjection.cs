namespace Articles;

/// <summary>
/// Middleware that stamps every response with version/replica headers, and applies the
/// configured latency and random failures to <c>/</c> and <c>/api/*</c> requests
/// (never to <c>/healthz</c>).
/// </summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, ArticlesOptions options)
{
    public const string VersionHeader = "X-Articles-Version";
    public const string ReplicaHeader = "X-Articles-Replica";

    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[VersionHeader] = options.Version;
            context.Response.Headers[ReplicaHeader] = options.ReplicaId;
            return Task.CompletedTask;
        });

        if (IsSubjectToFaults(context.Request.Path))
        {
            if (options.LatencyMs > 0)
            {
                await Task.Delay(options.LatencyMs, context.RequestAborted).ConfigureAwait(false);
            }

            if (options.FailRate > 0 && Random.Shared.NextDouble() < options.FailRate)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(
                    $"injected failure (ARTICLES_FAIL_RATE={options.FailRate.ToString(System.Globalization.CultureInfo.InvariantCulture)})\n",
                    context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>True for <c>/</c> and <c>/api/*</c>; false for <c>/healthz</c> and the rest.</summary>
    public static bool IsSubjectToFaults(PathString path) =>
        !path.HasValue || path.Value == "/" || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
