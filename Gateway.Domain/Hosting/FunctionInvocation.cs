using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Domain.Hosting;

/// <summary>
/// What the Functions host POSTs to a custom handler at <c>/{FunctionName}</c> for a non-HTTP
/// trigger: <c>{"Data": {binding: value}, "Metadata": {...}}</c>.
/// </summary>
public sealed class FunctionInvocationRequest
{
    public Dictionary<string, JsonElement> Data { get; set; } = [];

    public Dictionary<string, JsonElement> Metadata { get; set; } = [];
}

/// <summary>The custom handler's answer: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>.</summary>
public sealed class FunctionInvocationResponse
{
    public Dictionary<string, JsonElement> Outputs { get; set; } = [];

    public List<string> Logs { get; set; } = [];

    public JsonElement? ReturnValue { get; set; }
}

/// <summary>Raised by an invocation handler for input that retrying will never fix (e.g. a malformed message).</summary>
public sealed class PermanentInvocationException(string message) : Exception(message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified)]
[JsonSerializable(typeof(FunctionInvocationRequest))]
[JsonSerializable(typeof(FunctionInvocationResponse))]
[JsonSerializable(typeof(HealthReportBody))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
