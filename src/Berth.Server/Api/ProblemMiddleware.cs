using System.Text.Json;
using Berth.Api;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Api;

/// <summary>Turns refused requests into JSON <see cref="ErrorResponse"/>s: 400 bad input, 404 unknown name, 409 conflict.</summary>
internal sealed class ProblemMiddleware
{
    private readonly RequestDelegate _next;

    public ProblemMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        catch (ProblemException problem) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = problem.Kind switch
            {
                ProblemKind.NotFound => StatusCodes.Status404NotFound,
                ProblemKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            await context.Response.WriteAsJsonAsync(new ErrorResponse(problem.Message, problem.Details), ApiJson.Options);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            var detail = bad.InnerException is JsonException json ? json.Message : bad.Message;
            await context.Response.WriteAsJsonAsync(new ErrorResponse("the request body is not valid", [detail]), ApiJson.Options);
        }
    }
}
