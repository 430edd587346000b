using Berth.Api;
using Berth.Artifacts;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

/// <summary>
/// Process artifacts, content-addressed: <c>GET /artifacts/sha256:HEX</c> (is it here? 404 when not) and
/// <c>PUT /artifacts/sha256:HEX</c> (a tar.gz up to <see cref="ArtifactStore.MaxBytes"/>, kept only when its SHA-256 is
/// the digest named; 507 when the disk is full, nothing kept), both deployer: `berth deploy` uploads what a release will run.
/// </summary>
internal static class ArtifactEndpoints
{
    /// <summary>Whether the request is an artifact upload (which has a body limit of its own).</summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) && request.Path.StartsWithSegments(ApiRoutes.Artifacts, StringComparison.Ordinal);

    public static void MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Artifacts + "/{digest}", (string digest, ArtifactStore artifacts, TimeProvider time) =>
                artifacts.Claim(digest, time.GetUtcNow()) is { } size
                    ? new ArtifactInfo(digest, size)
                    : throw ProblemException.NotFound($"the server has no artifact {digest}"))
            .Requires(BerthPermission.Deploy, "artifact.inspect");

        app.MapPut(ApiRoutes.Artifacts + "/{digest}", async (string digest, ArtifactStore artifacts, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, digest);
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = ArtifactStore.MaxBytes;
                }

                await artifacts.SaveAsync(digest, context.Request.Body, ct);
                return new ArtifactInfo(digest, artifacts.SizeOf(digest) ?? 0);
            })
            .Requires(BerthPermission.Deploy, "artifact.upload");
    }
}
