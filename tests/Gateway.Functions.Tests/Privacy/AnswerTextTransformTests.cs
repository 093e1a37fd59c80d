using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Privacy;
using Gateway.Functions.Privacy;

namespace Gateway.Functions.Tests.Privacy;

/// <summary>The answer-side windows and transform, event by event.</summary>
public sealed class AnswerTextTransformTests
{
    private static readonly CompiledPolicy Cards = PolicyCompiler.Compile(new Policy { Id = "p", Config = new PolicyConfig { Rules = new() { [PiiEntity.CreditDebitNumber] = PiiActions.Block } } });

    [Fact]
    public void Detokenizing_PlaceholderSplitAcrossPieces_HeldUntilWhole()
    {
        var book = new PlaceholderBook();
        var placeholder = book.PlaceholderFor(PiiEntity.Email, "jane@example.com", reversible: true);
        var window = new DetokenizingWindow(book);

        var pieces = new[] { window.Push("write to [EMA"), window.Push("IL_1] and [not a token]"), window.Flush() };

        Assert.Equal("[EMAIL_1]", placeholder);
        Assert.Equal(["write to ", "jane@example.com and [not a token]", ""], pieces);
    }

    [Fact]
    public void Redacting_HoldsAtMostTheWindow_AndCountsEachValueOnce()
    {
        var record = new PrivacyRecord("p");
        var window = new RedactingWindow(Cards, new PlaceholderBook(), record, window: 24);
        var output = new StringBuilder();

        foreach (var piece in "Card 4111 1111 1111 1111 expires soon, thanks for asking about it.".Split(' '))
        {
            output.Append(window.Push(piece + " "));
        }

        output.Append(window.Flush());

        Assert.Equal("Card [CREDIT_DEBIT_NUMBER_1] expires soon, thanks for asking about it. ", output.ToString());
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.CreditDebitNumber] = 1 }, record.EntitiesOrNull());
        Assert.Equal("redacted", record.EventAction);
    }

    [Fact]
    public void AnthropicStream_TextDeltasRedacted_RestReleasedBeforeBlockStop()
    {
        var record = new PrivacyRecord("p");
        var transform = new AnswerTextTransform(() => new RedactingWindow(Cards, new PlaceholderBook(), record, window: 64));
        var output = new ArrayBufferWriter<byte>();
        string[] words = ["Your", " card", " 4111", " 1111", " 1111", " 1111."];

        foreach (var word in words)
        {
            transform.TransformEvent(Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = word } }), output);
        }

        transform.TransformEvent(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }), output);
        var relayed = Encoding.UTF8.GetString(output.WrittenSpan);
        var text = string.Concat(relayed.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).Select(e => (string?)e["delta"]?["text"]));

        Assert.Equal("Your card [CREDIT_DEBIT_NUMBER_1].", text);
        Assert.DoesNotContain("1111", relayed, StringComparison.Ordinal);
        Assert.EndsWith("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n", relayed, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NonSuccessOrNotJson_PassesThroughByteForByte()
    {
        var transform = new AnswerTextTransform(() => new DetokenizingWindow(new PlaceholderBook()));
        var output = new ArrayBufferWriter<byte>();
        var error = """{"error":{"message":"[EMAIL_1] bad"}}"""u8;

        transform.TransformBody(error, 400, output);

        Assert.Equal(error.ToArray(), output.WrittenSpan.ToArray());
    }

    private static byte[] Event(string name, JsonObject data) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {data.ToJsonString()}\n\n");
}
