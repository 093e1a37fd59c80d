using System.Text.Json;

namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>A <c>steps</c> item: one provider attempt, tried in order.</summary>
internal sealed class RouteStepItem
{
    public string? Provider { get; set; }

    public string? Model { get; set; }

    public int? Retries { get; set; }

    public string? RetryInterval { get; set; }

    /// <summary>Go duration; BricksLLM's default is <c>5m</c>.</summary>
    public string? Timeout { get; set; }

    /// <summary><c>deploymentId</c> and <c>apiVersion</c> for azure.</summary>
    public Dictionary<string, string?>? Params { get; set; }

    /// <summary>Request fields overwritten for this step (temperature, max_tokens, ...).</summary>
    public Dictionary<string, JsonElement>? RequestParams { get; set; }
}
