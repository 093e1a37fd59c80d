namespace Gateway.Functions.Routing;

/// <summary>Response headers that say how a route answered.</summary>
internal static class RouteHeaders
{
    /// <summary>The 0-based index (in the route's <c>steps</c>) of the step that answered.</summary>
    public const string Step = "x-gateway-route-step";

    /// <summary>How many upstream requests this request took, retries and failovers included.</summary>
    public const string Attempts = "x-gateway-attempts";
}
