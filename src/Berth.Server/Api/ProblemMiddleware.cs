using System.Text.Json;
using Berth.Api;
using Berth.Runtimes;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Api;

/// <summary>
/// Turns refused requests (<see cref="ProblemException"/>, and a runtime's <see cref="RuntimeRefusedException"/>) into JSON
/// <see cref="ErrorResponse"/>s: 400 bad input, 404 unknown name (or route), 405 method not allowed, 409 conflict, 413 too large, 415 not JSON, 507 disk full.
/// </summary>
internal sealed class ProblemMiddleware
{
    private readonly RequestDelegate _next;
    private readonly long _maxBodyBytes;

    public ProblemMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<Berth.Security.SecurityOptions> security)
    {
        _next = next;
        _maxBodyBytes = security.Value.MaxRequestBodyBytes;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // A declared length over the limit is refused before a byte is read (Kestrel would cut the read short with an empty 413).
        var limit = ArtifactEndpoints.IsUpload(context.Request) ? Berth.Artifacts.ArtifactStore.MaxBytes : _maxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }

        try
        {
            await _next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null or 0)
            {
                // A refusal that came with no body (no endpoint for the path or method, a body of the wrong type):
                // say what it was, as JSON like every other refusal.
                var request = context.Request;
                var message = context.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound when context.GetEndpoint() is null => $"no such API route: {request.Method} {request.Path} (the routes: README, JSON API)",
                    StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}",
                    StatusCodes.Status415UnsupportedMediaType => $"the request body must be JSON (Content-Type: application/json), not {request.ContentType ?? "untyped"}",
                    var status => $"the request was refused ({status} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)})",
                };
                AuditContext.SetDetail(context, message);
                await context.Response.WriteAsJsonAsync(new ErrorResponse(message), ApiJson.Options);
            }
        }
        catch (ProblemException problem) when (!context.Response.HasStarted)
        {
            await RefuseAsync(context, problem.Kind, problem.Message, problem.Details);
        }
        catch (RuntimeRefusedException refused) when (!context.Response.HasStarted)
        {
            var kind = refused.Reason switch
            {
                RuntimeRefusal.UnknownObject => ProblemKind.NotFound,
                RuntimeRefusal.NotPossible => ProblemKind.Conflict,
                _ => ProblemKind.Invalid,
            };
            await RefuseAsync(context, kind, refused.Message, []);
        }
        catch (Exception full) when (!context.Response.HasStarted && Berth.Store.DiskSpace.IsFull(full))
        {
            // The store rolled its transaction back: what was asked is not half-done, only not done.
            await RefuseAsync(context, ProblemKind.NoSpace,
                "no space left on the disk of the server's data folder: nothing was changed; what runs keeps running. Free some space and try again", []);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await TooLargeAsync(context, limit);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            var error = new ErrorResponse("the request body is not valid", [bad.InnerException is JsonException json ? json.Message : bad.Message]);
            AuditContext.SetDetail(context, error.Error);
            await context.Response.WriteAsJsonAsync(error, ApiJson.Options);
        }
    }

    private static async Task RefuseAsync(HttpContext context, ProblemKind kind, string message, IReadOnlyList<string> details)
    {
        context.Response.StatusCode = kind switch
        {
            ProblemKind.NotFound => StatusCodes.Status404NotFound,
            ProblemKind.Conflict => StatusCodes.Status409Conflict,
            ProblemKind.NoSpace => StatusCodes.Status507InsufficientStorage,
            _ => StatusCodes.Status400BadRequest,
        };
        AuditContext.SetDetail(context, message);
        await context.Response.WriteAsJsonAsync(new ErrorResponse(message, details), ApiJson.Options);
    }

    private static async Task TooLargeAsync(HttpContext context, long limit)
    {
        var error = new ErrorResponse($"the request body is larger than this server accepts ({limit / 1024 / 1024} MiB); nothing was changed");
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        AuditContext.SetDetail(context, error.Error);
        await context.Response.WriteAsJsonAsync(error, ApiJson.Options);
    }
}
