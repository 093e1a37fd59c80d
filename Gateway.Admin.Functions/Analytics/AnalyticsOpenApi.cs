using Microsoft.OpenApi;

namespace Gateway.Admin.Functions.Analytics;

internal static class AnalyticsOpenApi
{
    /// <summary>
    /// Documents a JSON request body in the OpenAPI document only. <c>Accepts&lt;T&gt;()</c> would
    /// also make routing answer 415 (with no problem body) to a request whose Content-Type is not
    /// JSON, and BricksLLM reads the body whatever the Content-Type (curl's <c>-d</c> sends a form type).
    /// </summary>
    public static RouteHandlerBuilder DocumentsJsonBody<T>(this RouteHandlerBuilder builder)
        where T : class
        => builder.AddOpenApiOperationTransformer(static async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            IOpenApiSchema body = schema;
            if (context.Document is { } document)
            {
                // A named component, as Accepts<T>() would produce, shared by the endpoints that take it.
                document.AddComponent(typeof(T).Name, schema);
                body = new OpenApiSchemaReference(typeof(T).Name, document);
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } },
            };
        });
}
