using Gateway.Admin.Functions.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.Admin.Functions.ApiDocs;

/// <summary>Title, description and the <c>X-API-KEY</c> security scheme of the admin API's OpenAPI document.</summary>
internal sealed class AdminOpenApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "AdminApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "Gateway admin API",
            Version = "v1",
            Description = "Management API of the AI gateway, wire-compatible with BricksLLM's admin API (port 8001): keys, provider settings, "
                + "custom providers, routes, users and analytics. Every request needs the `X-API-KEY` header (the setting `Admin__Secret`), "
                + "except `/api/health`, this document and `/api/docs`. Errors are `application/problem+json` with `status`, `title`, `type` "
                + "(e.g. `/errors/validation`, `/errors/not-found`), `detail` (which names the field) and `instance`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminAuthMiddleware.HeaderName,
            Description = "The admin secret (setting Admin__Secret).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}
