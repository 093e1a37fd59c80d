namespace Gateway.Testing.FakeLlm;

/// <summary>
/// What <see cref="FakeLlmServer"/> answers and how it misbehaves. Thread-safe: a test may change it
/// while requests are in flight; each request reads all values once, when it arrives, so a change
/// affects the next request, never one already running. Values stay until changed or
/// <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// Token counts are deterministic (see <see cref="FakeLlmTokens"/>): completion tokens are the
/// number of words in <see cref="ResponseText"/>; prompt tokens are <see cref="PromptTokens"/> when
/// set, otherwise the number of words in the request's text.
/// </remarks>
public sealed class FakeLlmBehavior
{
    public const string DefaultResponseText = "Hello from the fake provider";
    public const int DefaultEmbeddingDimensions = 8;

    private readonly Lock _lock = new();
    private readonly List<QueuedFault> _queuedFaults = [];
    private FakeLlmFault? _persistentFault;
    private string _responseText = DefaultResponseText;
    private int? _promptTokens;
    private int _embeddingDimensions = DefaultEmbeddingDimensions;
    private TimeSpan _firstByteDelay;
    private TimeSpan _chunkDelay;
    private FakeLlmStreamUsage _streamUsage;
    private string? _expectedOpenAiApiKey;
    private string? _expectedAzureApiKey;
    private string? _expectedAnthropicApiKey;

    /// <summary>The assistant's answer for chat, completions and messages; streamed one word per event.</summary>
    public string ResponseText
    {
        get { lock (_lock) { return _responseText; } }
        set { ArgumentNullException.ThrowIfNull(value); lock (_lock) { _responseText = value; } }
    }

    /// <summary>Fixed prompt/input token count; null (the default) counts the words of the request.</summary>
    public int? PromptTokens
    {
        get { lock (_lock) { return _promptTokens; } }
        set { lock (_lock) { _promptTokens = value; } }
    }

    /// <summary>Vector length for embeddings when the request has no <c>dimensions</c>.</summary>
    public int EmbeddingDimensions
    {
        get { lock (_lock) { return _embeddingDimensions; } }
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 1); lock (_lock) { _embeddingDimensions = value; } }
    }

    /// <summary>Wait this long after the request arrives before sending anything (slow first byte).</summary>
    public TimeSpan FirstByteDelay
    {
        get { lock (_lock) { return _firstByteDelay; } }
        set { lock (_lock) { _firstByteDelay = value; } }
    }

    /// <summary>Wait this long before each SSE event after the first (slow stream).</summary>
    public TimeSpan ChunkDelay
    {
        get { lock (_lock) { return _chunkDelay; } }
        set { lock (_lock) { _chunkDelay = value; } }
    }

    /// <summary>Where streamed responses report usage; default <see cref="FakeLlmStreamUsage.AsProviderDoes"/>.</summary>
    public FakeLlmStreamUsage StreamUsage
    {
        get { lock (_lock) { return _streamUsage; } }
        set { lock (_lock) { _streamUsage = value; } }
    }

    /// <summary>When set, OpenAI paths answer 401 <c>invalid_api_key</c> unless the Bearer token is exactly this.</summary>
    public string? ExpectedOpenAiApiKey
    {
        get { lock (_lock) { return _expectedOpenAiApiKey; } }
        set { lock (_lock) { _expectedOpenAiApiKey = value; } }
    }

    /// <summary>When set, Azure paths answer 401 unless the <c>api-key</c> header is exactly this.</summary>
    public string? ExpectedAzureApiKey
    {
        get { lock (_lock) { return _expectedAzureApiKey; } }
        set { lock (_lock) { _expectedAzureApiKey = value; } }
    }

    /// <summary>When set, Anthropic paths answer 401 unless the <c>x-api-key</c> header is exactly this.</summary>
    public string? ExpectedAnthropicApiKey
    {
        get { lock (_lock) { return _expectedAnthropicApiKey; } }
        set { lock (_lock) { _expectedAnthropicApiKey = value; } }
    }

    /// <summary>
    /// The next <paramref name="count"/> authenticated requests get <paramref name="fault"/>; later
    /// ones behave normally ("fail the first N, then succeed"). Calls queue up in order, so
    /// <c>FailNext(1, RateLimited(..)); FailNext(1, DropStreamAfter(2))</c> fails the first request
    /// with 429, drops the second mid-stream and lets the third through.
    /// </summary>
    public void FailNext(int count, FakeLlmFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(fault);
        lock (_lock)
        {
            _queuedFaults.Add(new QueuedFault(fault, count));
        }
    }

    /// <summary>Every authenticated request gets <paramref name="fault"/> (after any queued ones) until <see cref="Reset"/>.</summary>
    public void FailAlways(FakeLlmFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_lock)
        {
            _persistentFault = fault;
        }
    }

    /// <summary>Drop queued and persistent faults, keep the other settings.</summary>
    public void ClearFaults()
    {
        lock (_lock)
        {
            _queuedFaults.Clear();
            _persistentFault = null;
        }
    }

    /// <summary>Back to the defaults: no faults, no delays, default text, word-counted tokens, no expected keys.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _queuedFaults.Clear();
            _persistentFault = null;
            _responseText = DefaultResponseText;
            _promptTokens = null;
            _embeddingDimensions = DefaultEmbeddingDimensions;
            _firstByteDelay = TimeSpan.Zero;
            _chunkDelay = TimeSpan.Zero;
            _streamUsage = FakeLlmStreamUsage.AsProviderDoes;
            _expectedOpenAiApiKey = null;
            _expectedAzureApiKey = null;
            _expectedAnthropicApiKey = null;
        }
    }

    internal FakeLlmSettings Snapshot()
    {
        lock (_lock)
        {
            return new FakeLlmSettings(
                _responseText,
                _promptTokens,
                _embeddingDimensions,
                _firstByteDelay,
                _chunkDelay,
                _streamUsage,
                _expectedOpenAiApiKey,
                _expectedAzureApiKey,
                _expectedAnthropicApiKey);
        }
    }

    /// <summary>Consumes one use of the first queued fault, or returns the persistent one.</summary>
    internal FakeLlmFault? TakeFault()
    {
        lock (_lock)
        {
            if (_queuedFaults.Count == 0)
            {
                return _persistentFault;
            }

            var head = _queuedFaults[0];
            if (--head.Remaining == 0)
            {
                _queuedFaults.RemoveAt(0);
            }

            return head.Fault;
        }
    }

    private sealed class QueuedFault(FakeLlmFault fault, int remaining)
    {
        public FakeLlmFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
