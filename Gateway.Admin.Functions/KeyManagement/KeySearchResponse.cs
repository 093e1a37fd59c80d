using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary><c>{keys, count}</c>; <c>count</c> (all matches, before paging) only when <c>returnCount</c> was asked.</summary>
internal sealed class KeySearchResponse
{
    public required List<KeyResponse> Keys { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Count { get; init; }
}
