namespace Gateway.Functions.Providers;

/// <summary>
/// A Bedrock event-stream body presented as <c>text/event-stream</c> (<see cref="BedrockEventStream"/>),
/// so the relay, usage reader, translations and cache see Anthropic's stream.
/// </summary>
internal sealed class BedrockEventStreamContent(HttpContent bedrock) : BedrockContent(bedrock, "text/event-stream; charset=utf-8")
{
    public const string MediaType = "application/vnd.amazon.eventstream";

    protected override async Task<Stream> OpenAsync(HttpContent bedrock, CancellationToken cancellationToken)
        => new BedrockEventStream(await bedrock.ReadAsStreamAsync(cancellationToken));
}
