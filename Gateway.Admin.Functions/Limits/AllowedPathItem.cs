namespace Gateway.Admin.Functions.Limits;

/// <summary>An <c>allowedPaths</c> item: a proxy route template and method, e.g. <c>{"path":"/api/providers/openai/v1/chat/completions","method":"POST"}</c>.</summary>
internal sealed class AllowedPathItem
{
    public string? Path { get; set; }

    public string? Method { get; set; }
}
