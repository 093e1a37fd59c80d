using System.Buffers;
using System.Text;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Tests.Forwarding;

public sealed class ResponseTransformChainTests
{
    [Fact]
    public void Body_AppliesTransformsInOrder()
    {
        var chain = new ResponseTransformChain([new Replace("a", "b"), new Replace("b", "c")]);
        var output = new ArrayBufferWriter<byte>();

        chain.Body("aab"u8, 200, output);

        Assert.Equal("ccc", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Event_SplitsOneStagesOutputIntoWholeEventsForTheNext()
    {
        var counter = new CountEvents();
        var chain = new ResponseTransformChain([new Duplicate(), counter]);
        var output = new ArrayBufferWriter<byte>();

        chain.Event("data: x\n\n"u8, output);

        Assert.Equal(2, counter.Seen);
        Assert.Equal("data: x\n\ndata: x\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Complete_HeldBackTextPassesThroughTheLaterTransforms()
    {
        var chain = new ResponseTransformChain([new HoldBack(), new Replace("held", "released")]);
        var output = new ArrayBufferWriter<byte>();

        chain.Event("data: held\n\n"u8, output);
        Assert.Equal(0, output.WrittenCount);
        chain.Complete(output);

        Assert.Equal("data: released\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void ContentType_TheLastTransformThatSetsOneWins()
    {
        var chain = new ResponseTransformChain([new Replace("a", "b", "text/event-stream"), new Replace("b", "c")]);

        Assert.Equal("text/event-stream", chain.ContentType("application/vnd.amazon.eventstream"));
        Assert.True(ResponseTransformChain.Empty.IsEmpty);
    }

    private class PassThrough : IResponseTransform
    {
        public virtual string? ContentType(string? upstreamContentType) => null;

        public virtual void TransformBody(ReadOnlySpan<byte> body, int status, IBufferWriter<byte> output) => output.Write(body);

        public virtual void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output) => output.Write(sseEvent);

        public virtual void Complete(IBufferWriter<byte> output)
        {
        }
    }

    private sealed class Replace(string from, string to, string? contentType = null) : PassThrough
    {
        public override string? ContentType(string? upstreamContentType) => contentType;

        public override void TransformBody(ReadOnlySpan<byte> body, int status, IBufferWriter<byte> output)
            => output.Write(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(from, to, StringComparison.Ordinal)));

        public override void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output) => TransformBody(sseEvent, 200, output);
    }

    private sealed class Duplicate : PassThrough
    {
        public override void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output)
        {
            output.Write(sseEvent);
            output.Write(sseEvent);
        }
    }

    private sealed class CountEvents : PassThrough
    {
        public int Seen { get; private set; }

        public override void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output)
        {
            Seen++;
            output.Write(sseEvent);
        }
    }

    private sealed class HoldBack : PassThrough
    {
        private readonly ArrayBufferWriter<byte> _held = new();

        public override void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output) => _held.Write(sseEvent);

        public override void Complete(IBufferWriter<byte> output) => output.Write(_held.WrittenSpan);
    }
}
