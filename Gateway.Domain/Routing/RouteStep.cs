namespace Gateway.Domain.Routing;

/// <summary>One provider attempt of a route; tried in order until one answers 200.</summary>
public sealed class RouteStep
{
    public string Provider { get; set; } = string.Empty;

    public string Model { get; set; } = string.Empty;

    public int Retries { get; set; }

    /// <summary>Go-style duration between retries, e.g. <c>1s</c>.</summary>
    public string? RetryInterval { get; set; }

    /// <summary>Go-style duration, e.g. <c>30s</c>.</summary>
    public string? Timeout { get; set; }

    /// <summary>Provider parameters, e.g. <c>deploymentId</c> and <c>apiVersion</c> for azure.</summary>
    public Dictionary<string, string> Params { get; set; } = [];

    /// <summary>Request fields overwritten for this step (temperature, max_tokens, ...).</summary>
    public Dictionary<string, System.Text.Json.JsonElement> RequestParams { get; set; } = [];
}
