using Scalar.AspNetCore;

namespace Gateway.Admin.Functions.ApiDocs;

/// <summary>
/// The OpenAPI document of the admin API (<c>/api/openapi.json</c>) and a browsable reference
/// page over it (<c>/api/docs</c>, Scalar, assets served from the app: no CDN).
/// </summary>
/// <remarks>
/// Both are served without <c>X-API-KEY</c>: see <c>ApiDocs/README.md</c> for why that is safe.
/// </remarks>
internal static class ApiDocsEndpoints
{
    public const string DocumentPath = "/api/openapi.json";
    public const string ReferencePath = "/api/docs";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<AdminOpenApiDocumentTransformer>());
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi(DocumentPath);
        endpoints.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Gateway admin API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddPreferredSecuritySchemes([AdminOpenApiDocumentTransformer.SecuritySchemeName])
            .DisableDefaultFonts());
        return endpoints;
    }

    /// <summary>The document and the reference page: readable without the admin secret (GET and HEAD only).</summary>
    public static bool IsPublic(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && (request.Path.Equals(DocumentPath, StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments(ReferencePath, StringComparison.OrdinalIgnoreCase));
    }
}
