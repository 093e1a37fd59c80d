namespace Gateway.Domain.Usage;

/// <summary>
/// What the proxy hands to the usage pipeline for one request: everything costing and analytics
/// need. Versioned JSON on the queue; <see cref="EventId"/> makes every consumer step idempotent.
/// </summary>
public sealed class UsageEventMessage
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public required string EventId { get; set; }

    /// <summary>When the request arrived, unix milliseconds.</summary>
    public long CreatedAtUnixMs { get; set; }

    public string KeyId { get; set; } = string.Empty;

    public List<string> Tags { get; set; } = [];

    public string Provider { get; set; } = string.Empty;

    /// <summary>The provider setting the request was sent with (its <c>costMap</c> overrides prices).</summary>
    public string? SettingId { get; set; }

    /// <summary>The model the client asked for (the body's <c>model</c>, or the Azure deployment).</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Azure OpenAI deployment, when the path names one (prices can be set per deployment).</summary>
    public string? DeploymentId { get; set; }

    public string Path { get; set; } = string.Empty;

    public string Method { get; set; } = string.Empty;

    public int Status { get; set; }

    public int LatencyMs { get; set; }

    public string? CustomId { get; set; }

    /// <summary>The <c>X-METADATA</c> header: a JSON object, kept raw.</summary>
    public string? Metadata { get; set; }

    public string? UserId { get; set; }

    /// <summary>
    /// The <c>users</c> row the proxy matched for the end user (<see cref="UserId"/>), whose spend
    /// counters the event is charged to; null when none matched. Ingest does not match again.
    /// </summary>
    public string? EndUserId { get; set; }

    public string? RouteId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary><c>allowed</c>, <c>blocked</c>, <c>warned</c> or <c>redacted</c> when a PII policy applied.</summary>
    public string? Action { get; set; }

    /// <summary>The PII policy that applied, if any.</summary>
    public string? PolicyId { get; set; }

    /// <summary>PII entity types found and how often (never the values), e.g. <c>{"EMAIL": 2}</c>.</summary>
    public Dictionary<string, int>? PiiEntities { get; set; }

    /// <summary>Answered from the response cache: costs nothing; the tokens are those the hit saved.</summary>
    public bool Cached { get; set; }

    public bool Streamed { get; set; }

    /// <summary>The client went away before the response ended; usage is what was delivered.</summary>
    public bool ClientDisconnected { get; set; }

    /// <summary>The provider's own counts, when it reported them; otherwise the texts below are counted.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Prompt text for token counting when <see cref="Usage"/> is absent.</summary>
    public string? PromptText { get; set; }

    /// <summary>Completion text (streamed deltas joined) for token counting when <see cref="Usage"/> is absent.</summary>
    public string? CompletionText { get; set; }

    /// <summary>Audio seconds (transcriptions/translations) or characters (speech), for audio pricing.</summary>
    public double? AudioSeconds { get; set; }

    public int? SpeechCharacters { get; set; }

    /// <summary>Image requests: <c>n</c>, <c>size</c> and <c>quality</c> of a JSON request, for per-image pricing.</summary>
    public int? ImageCount { get; set; }

    public string? ImageSize { get; set; }

    public string? ImageQuality { get; set; }

    /// <summary>Request body, only when the key has <c>shouldLogRequest</c>.</summary>
    public string? RequestBody { get; set; }

    /// <summary>Response body, only when the key has <c>shouldLogResponse</c>.</summary>
    public string? ResponseBody { get; set; }

    /// <summary>
    /// Set on the queue copy of an event too large for its queue: the whole event is a blob, and the
    /// queue carries only this reference with the event's identity (see <c>Usage/Transport/README.md</c>).
    /// </summary>
    public UsageClaimCheck? ClaimCheck { get; set; }
}
