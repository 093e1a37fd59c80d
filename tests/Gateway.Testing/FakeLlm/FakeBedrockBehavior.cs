namespace Gateway.Testing.FakeLlm;

/// <summary>
/// How the fake's Bedrock endpoints check signatures and misbehave. Thread-safe; each request reads
/// the values when it arrives.
/// </summary>
public sealed class FakeBedrockBehavior
{
    /// <summary>AWS's documented example access key id, the fake's default credentials.</summary>
    public const string ExampleAccessKeyId = "AKIAIOSFODNN7EXAMPLE";

    /// <summary>AWS's documented example secret access key.</summary>
    public const string ExampleSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private volatile string? _accessKeyId = ExampleAccessKeyId;
    private volatile string? _secretAccessKey = ExampleSecretAccessKey;
    private volatile string? _streamException;
    private int _corruptFrame = -1;

    /// <summary>The only access key id accepted (403 <c>UnrecognizedClientException</c> otherwise); null accepts any.</summary>
    public string? AccessKeyId { get => _accessKeyId; set => _accessKeyId = value; }

    /// <summary>The secret the SigV4 signature is verified with (403 <c>InvalidSignatureException</c>); null checks only that the headers are there.</summary>
    public string? SecretAccessKey { get => _secretAccessKey; set => _secretAccessKey = value; }

    /// <summary>
    /// When set (e.g. <c>throttlingException</c>), a stream sends this exception event after its
    /// first two chunks and ends, as Bedrock does when it fails mid-stream.
    /// </summary>
    public string? StreamException { get => _streamException; set => _streamException = value; }

    /// <summary>When 0 or more, the stream's frame at that index (0-based) goes out with a wrong message CRC, and the stream ends.</summary>
    public int CorruptFrameIndex { get => Volatile.Read(ref _corruptFrame); set => Volatile.Write(ref _corruptFrame, value); }

    public void Reset()
    {
        AccessKeyId = ExampleAccessKeyId;
        SecretAccessKey = ExampleSecretAccessKey;
        StreamException = null;
        CorruptFrameIndex = -1;
    }
}
