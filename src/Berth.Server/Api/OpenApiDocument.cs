using System.Reflection;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Berth.Server.Api;

/// <summary>
/// The JSON API described as an OpenAPI 3.1 document, made from the endpoints themselves (so it cannot drift from
/// them): <c>GET /api/v1/openapi.json</c> (viewer). The dashboard's own routes are left out; every operation names the
/// bearer token it needs and the role it takes.
/// </summary>
internal static class OpenApiDocument
{
    /// <summary>Where the document is served; without a {documentName} parameter the default document (v1) is the one.</summary>
    public const string Path = "/api/v1/openapi.json";

    public static void AddBerthOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Berth API",
                    Version = typeof(OpenApiDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0",
                    Description = "The control plane's JSON API: what the berth CLI and the dashboard call. Every call needs a bearer token " +
                                  "(berth token create); each operation says the role it takes. Errors are {\"error\", \"details\"}.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A Berth token: berth_<12 hex>_<40 alphanumerics>.",
                };

                // The areas the operations are tagged with (below), in place of the assembly's name.
                var areas = (document.Paths?.Values.AsEnumerable() ?? [])
                    .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
                    .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
                    .Select(tag => tag.Name)
                    .OfType<string>()
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal);
                document.Tags = new HashSet<OpenApiTag>(areas.Select(area => new OpenApiTag { Name = area }));
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // Grouped by area, the path's first segment after /api/v1/ (stacks, services, secrets, routers, …).
                if (context.Description.RelativePath?.Split('/') is [_, _, var area, ..])
                {
                    operation.Tags = new HashSet<OpenApiTagReference> { new(area, context.Document) };
                }

                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointAccess>().FirstOrDefault() is { Permission: { } permission } access)
                {
                    operation.Description = $"Needs the {permission} permission ({RolePermissions.RolesAllowed(permission)}); audited as {access.Action}.";
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] }];
                }

                return Task.CompletedTask;
            });
        });

    public static void MapBerthOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(Path).Requires(BerthPermission.Read, "api.openapi");
}
