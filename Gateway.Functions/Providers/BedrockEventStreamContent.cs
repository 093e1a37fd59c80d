using System.Net.Http.Headers;

namespace Gateway.Functions.Providers;

/// <summary>
/// A Bedrock event-stream body presented as <c>text/event-stream</c> (<see cref="BedrockEventStream"/>),
/// so the relay, usage reader, translations and cache see Anthropic's stream.
/// </summary>
internal sealed class BedrockEventStreamContent : HttpContent
{
    public const string MediaType = "application/vnd.amazon.eventstream";

    private readonly HttpContent _bedrock;

    public BedrockEventStreamContent(HttpContent bedrock)
    {
        _bedrock = bedrock;
        Headers.ContentType = new MediaTypeHeaderValue("text/event-stream") { CharSet = "utf-8" };
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new BedrockEventStream(await _bedrock.ReadAsStreamAsync(cancellationToken));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await using var events = await CreateContentReadStreamAsync(CancellationToken.None);
        await events.CopyToAsync(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bedrock.Dispose();
        }

        base.Dispose(disposing);
    }
}
