namespace Gateway.Admin.Functions.Http;

internal static class AdminEndpointConventions
{
    /// <summary>
    /// Documents the problems every management endpoint can answer: 400 (invalid input, naming the
    /// field), 401 (no or wrong <c>X-API-KEY</c>), 413 (body too large), 503 (saved but not yet in
    /// the config cache).
    /// </summary>
    public static TBuilder ProducesAdminProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
