using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Testing.FakeLlm;

/// <summary>One request as <see cref="FakeLlmServer"/> received it, byte for byte.</summary>
public sealed class RecordedRequest
{
    private readonly byte[] _body;
    private int _outcome;

    internal RecordedRequest(
        int sequence,
        string method,
        string path,
        string queryString,
        IReadOnlyDictionary<string, string[]> headers,
        byte[] body,
        DateTimeOffset receivedAt)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        _body = body;
        ReceivedAt = receivedAt;
    }

    /// <summary>1 for the first request the server received, 2 for the second, and so on.</summary>
    public int Sequence { get; }

    public string Method { get; }

    /// <summary>The path as sent, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>The raw query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>Every request header, names case-insensitive.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; }

    public ReadOnlyMemory<byte> Body => _body;

    public string BodyText => Encoding.UTF8.GetString(_body);

    public DateTimeOffset ReceivedAt { get; }

    public FakeLlmRequestOutcome Outcome => (FakeLlmRequestOutcome)Volatile.Read(ref _outcome);

    /// <summary>True when the client disconnected before the response was complete.</summary>
    public bool WasCancelled => Outcome == FakeLlmRequestOutcome.ClientDisconnected;

    /// <summary>The header's values joined with <c>", "</c>, or null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>The first value of a query parameter, or null when absent.</summary>
    public string? Query(string name)
        => QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>The body parsed as JSON; null when empty. Throws <see cref="System.Text.Json.JsonException"/> when it is not JSON.</summary>
    public JsonNode? ParseJsonBody() => _body.Length == 0 ? null : JsonNode.Parse(_body);

    public override string ToString() => $"#{Sequence} {Method} {Path}{QueryString} -> {Outcome}";

    internal void SetOutcome(FakeLlmRequestOutcome outcome) => Volatile.Write(ref _outcome, (int)outcome);
}
