using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Api;

/// <summary>`GET /api/v1/backup`: a consistent copy of the store, taken while the server runs (admin: it holds secrets).</summary>
internal static class BackupEndpoints
{
    public static void MapBackupEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Backup, (BerthStore store, IOptions<StoreOptions> options, HttpContext context) =>
            {
                var file = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), $"backup-{Guid.NewGuid():N}.tmp");
                StoreBackup.Write(store, file);
                context.Response.OnCompleted(() =>
                {
                    File.Delete(file);
                    return Task.CompletedTask;
                });
                return Results.File(file, "application/vnd.sqlite3", "berth-backup.db");
            })
            .Requires(BerthPermission.Administer, "store.backup");
}
