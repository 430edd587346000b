using Berth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Security;

/// <summary>
/// Records in the audit log every call that changes something (whatever its outcome) and every call refused by
/// access control: a token that is not valid, or a role that does not allow it. Reads that succeed are not recorded.
/// </summary>
public sealed partial class AuditMiddleware
{
    private const int MaxActionLength = 120;
    private readonly RequestDelegate _next;
    private readonly ILogger<AuditMiddleware> _logger;

    public AuditMiddleware(RequestDelegate next, ILogger<AuditMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, AuditLog audit)
    {
        var failed = false;
        try
        {
            await _next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (ShouldRecord(context, status))
            {
                await RecordAsync(context, audit, status);
            }
        }
    }

    /// <summary>True for requests that may change state: everything but GET, HEAD and OPTIONS.</summary>
    public static bool IsChange(HttpRequest request) => !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    private static bool ShouldRecord(HttpContext context, int status) =>
        status != StatusCodes.Status429TooManyRequests
        && ((IsChange(context.Request) && ((context.AccessRule()?.AuditChanges ?? true) || status >= 400))
            || status == StatusCodes.Status403Forbidden
            || (status == StatusCodes.Status401Unauthorized && AuthenticationAttempt.Of(context)?.Presented == true));

    private async Task RecordAsync(HttpContext context, AuditLog audit, int status)
    {
        var attempt = AuthenticationAttempt.Of(context);
        var rule = context.AccessRule();
        var who = BerthClaims.NameOf(context.User) ?? attempt?.TokenName ?? "anonymous";
        var role = BerthClaims.RoleOf(context.User) is { } r ? RolePermissions.Name(r) : null;
        var action = rule?.Action ?? Truncate($"{context.Request.Method} {context.Request.Path}");
        var detail = status switch
        {
            StatusCodes.Status401Unauthorized => attempt?.FailureReason ?? "no token",
            StatusCodes.Status403Forbidden when rule?.Permission is { } permission => $"needs {RolePermissions.RolesAllowed(permission)}",
            _ => AuditContext.DetailOf(context),
        };
        try
        {
            // Not the request's token: a client that went away must not erase the record of what it did.
            await audit.RecordAsync(who, role, action, AuditContext.TargetOf(context), status, context.Connection.RemoteIpAddress?.ToString(), detail, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogAuditFailed(_logger, exception, action, who);
        }
    }

    private static string Truncate(string text) => text.Length <= MaxActionLength ? text : text[..MaxActionLength];

    [LoggerMessage(Level = LogLevel.Error, Message = "could not record {Action} by {Who} in the audit log")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string action, string who);
}
