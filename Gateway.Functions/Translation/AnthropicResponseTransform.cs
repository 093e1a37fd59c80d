using System.Buffers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Translation;

/// <summary>
/// An Anthropic answer on its way to an OpenAI client: a whole body (message or error) or the
/// event stream, event by event. Usage is read from Anthropic's own bytes before this runs.
/// </summary>
internal sealed class AnthropicResponseTransform(TranslatedRequest request, long created) : IResponseTransform
{
    private readonly AnthropicStreamTranslator _stream = new(created, request.JsonMode, request.IncludeUsage);

    public string? ContentType(string? upstreamContentType) => null;

    public void TransformBody(ReadOnlySpan<byte> body, int status, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var translated = status >= 400
            ? AnthropicErrorTranslator.Translate(body, status)
            : AnthropicResponseTranslator.Translate(body, created, request.JsonMode);
        output.Write(translated ?? body);
    }

    public void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output) => _stream.Translate(sseEvent, output);

    // A stream cut before message_stop gets no [DONE]: the client must not take it as complete.
    public void Complete(IBufferWriter<byte> output)
    {
    }
}
