using System.Buffers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Applies <see cref="IResponseTransform"/>s in order. Between two transforms the output is split
/// into whole events again, so each transform sees one event at a time; what a transform writes on
/// <see cref="Complete"/> still passes through the transforms after it.
/// </summary>
internal sealed class ResponseTransformChain(IReadOnlyList<IResponseTransform> transforms)
{
    public static readonly ResponseTransformChain Empty = new([]);

    public bool IsEmpty => transforms.Count == 0;

    /// <summary>The content type after every transform.</summary>
    public string? ContentType(string? upstreamContentType)
    {
        var contentType = upstreamContentType;
        foreach (var transform in transforms)
        {
            contentType = transform.ContentType(contentType) ?? contentType;
        }

        return contentType;
    }

    public void Body(ReadOnlySpan<byte> body, int status, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (transforms.Count == 1)
        {
            transforms[0].TransformBody(body, status, output);
            return;
        }

        var input = new ArrayBufferWriter<byte>(body.Length);
        input.Write(body);
        for (var i = 0; i < transforms.Count; i++)
        {
            var next = i == transforms.Count - 1 ? output : new ArrayBufferWriter<byte>(input.WrittenCount);
            transforms[i].TransformBody(input.WrittenSpan, status, next);
            input = next;
        }
    }

    /// <summary>One upstream event in; zero or more events for the client appended to <paramref name="output"/>.</summary>
    public void Event(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output) => Push(0, sseEvent, output, split: false);

    /// <summary>The upstream ended: each transform's held-back text, through the transforms after it.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        for (var i = 0; i < transforms.Count; i++)
        {
            var held = new ArrayBufferWriter<byte>();
            transforms[i].Complete(held);
            if (held.WrittenCount > 0)
            {
                Push(i + 1, held.WrittenSpan, output, split: true);
            }
        }
    }

    private void Push(int stage, ReadOnlySpan<byte> events, IBufferWriter<byte> output, bool split)
    {
        if (stage == transforms.Count)
        {
            output.Write(events);
            return;
        }

        var next = new ArrayBufferWriter<byte>(Math.Max(events.Length, 256));
        if (!split)
        {
            transforms[stage].TransformEvent(events, next);
        }
        else
        {
            while (!events.IsEmpty)
            {
                var length = ResponseRelay.FindEventEnd(events);
                length = length == 0 ? events.Length : length;
                transforms[stage].TransformEvent(events[..length], next);
                events = events[length..];
            }
        }

        Push(stage + 1, next.WrittenSpan, output, split: true);
    }
}
