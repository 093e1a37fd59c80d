using System.Net.Http.Headers;

namespace Gateway.Functions.Providers;

/// <summary>
/// A Bedrock response body presented in another shape, produced when it is read: the relay reads
/// it as a stream; its length is unknown; disposing it disposes Bedrock's body.
/// </summary>
internal abstract class BedrockContent : HttpContent
{
    private readonly HttpContent _bedrock;

    protected BedrockContent(HttpContent bedrock, string contentType)
    {
        _bedrock = bedrock;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    /// <summary>The body in its new shape, read from <paramref name="bedrock"/>.</summary>
    protected abstract Task<Stream> OpenAsync(HttpContent bedrock, CancellationToken cancellationToken);

    protected sealed override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => OpenAsync(_bedrock, cancellationToken);

    protected sealed override Task<Stream> CreateContentReadStreamAsync() => OpenAsync(_bedrock, CancellationToken.None);

    protected sealed override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await using var body = await OpenAsync(_bedrock, CancellationToken.None);
        await body.CopyToAsync(stream);
    }

    protected sealed override bool TryComputeLength(out long length)
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
