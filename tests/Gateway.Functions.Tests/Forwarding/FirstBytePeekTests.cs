using Gateway.Functions.Forwarding;
using Gateway.Functions.Routing;

namespace Gateway.Functions.Tests.Forwarding;

/// <summary>The peeked body reads back whole, byte for byte, and a body that fails before its first byte is no answer.</summary>
public sealed class FirstBytePeekTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(4096)]
    [InlineData(10_000)]
    public async Task TryAsync_BodyReadsBackWhole_HeadersUntouched(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        using var response = new HttpResponseMessage { Content = new StreamContent(new MemoryStream(bytes)) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var content = response.Content;
        using var timeouts = new ForwardTimeouts(TimeProvider.System, CancellationToken.None);

        await using var body = await FirstBytePeek.TryAsync(response, timeouts, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.NotNull(body);
        Assert.Same(content, response.Content);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var copy = new MemoryStream();
        var chunk = new byte[1000];
        int read;
        while ((read = await body.ReadAsync(chunk)) > 0)
        {
            copy.Write(chunk, 0, read);
        }

        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task TryAsync_BodyFailsBeforeFirstByte_NoAnswer()
    {
        using var response = new HttpResponseMessage { Content = new StreamContent(new FailingStream()) };
        using var timeouts = new ForwardTimeouts(TimeProvider.System, CancellationToken.None);

        Assert.Null(await FirstBytePeek.TryAsync(response, timeouts, TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    private sealed class FailingStream : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromException<int>(new IOException("connection reset"));
    }
}
