using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

/// <summary>Per-request state shared by the fake's middleware and endpoints (an HttpContext feature).</summary>
internal sealed class FakeLlmExchange(
    HttpContext context,
    RecordedRequest request,
    FakeLlmProvider provider,
    FakeLlmSettings settings,
    long created,
    CancellationToken aborted)
{
    private JsonObject? _json;
    private bool _jsonParsed;

    public HttpContext Context { get; } = context;

    public RecordedRequest Request { get; } = request;

    public FakeLlmProvider Provider { get; } = provider;

    public FakeLlmSettings Settings { get; } = settings;

    /// <summary>Unix seconds for <c>created</c> fields.</summary>
    public long Created { get; } = created;

    /// <summary>Fires when the client disconnects or the server stops.</summary>
    public CancellationToken Aborted { get; } = aborted;

    /// <summary>Set when a <see cref="FakeLlmFaultKind.DropStream"/> fault applies to this request.</summary>
    public FakeLlmFault? DropFault { get; set; }

    public bool Dropped { get; private set; }

    /// <summary>The value of <c>x-request-id</c> / <c>request-id</c> on the response.</summary>
    public string RequestId => $"req_fake{Request.Sequence:D6}";

    /// <summary>The request body as a JSON object, or null when it is missing or not a JSON object.</summary>
    public JsonObject? Json
    {
        get
        {
            if (!_jsonParsed)
            {
                _jsonParsed = true;
                try
                {
                    _json = Request.ParseJsonBody() as JsonObject;
                }
                catch (JsonException)
                {
                    _json = null;
                }
            }

            return _json;
        }
    }

    /// <summary>Deterministic object ids: the prefix plus the request's sequence number.</summary>
    public string Id(string prefix) => $"{prefix}fake{Request.Sequence:D6}";

    public int PromptTokens(int countedWords) => Settings.PromptTokens ?? countedWords;

    /// <summary>Aborts the connection on purpose and stops the handler.</summary>
    public async Task<OperationCanceledException> DropAsync()
    {
        Dropped = true;
        // FlushAsync only hands bytes to Kestrel's transport pipe; aborting at once can discard
        // events already "flushed" (first run of DropStreamFault_AfterTwoEvents_ClientSeesTruncatedStream
        // saw a reset before the headers). On loopback, 100 ms lets the send loop reach the socket.
        await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        Context.Abort();
        return new OperationCanceledException("The fake dropped the connection (FakeLlmFault.DropStreamAfter).");
    }
}
