using System.Text;
using System.Text.Json;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Tests.CustomProviders;

public sealed class CustomProviderJsonPathTests
{
    private const string Answer = """
        {"result":{"outputs":[{"text":"Hello"},{"text":" world"}],"model.name":"m-1"},
         "messages":[{"role":"user","content":"a b"},{"role":"user","content":" c"}],"stream":true,"n":3}
        """;

    private static JsonElement Root => JsonDocument.Parse(Answer).RootElement;

    [Theory]
    [InlineData("result.outputs.0.text", "Hello")]
    [InlineData("result.outputs.1.text", " world")]
    [InlineData("result.outputs.#.text", "Hello world")]
    [InlineData("messages.#.content", "a b c")]
    [InlineData("result.model\\.name", "m-1")]
    public void Text_FindsNestedValues(string path, string expected) => Assert.Equal(expected, CustomProviderJsonPath.Text(Root, path));

    [Theory]
    [InlineData("result.outputs.5.text")]
    [InlineData("result.missing")]
    [InlineData("n")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_NothingOrNotText_IsNull(string? path) => Assert.Null(CustomProviderJsonPath.Text(Root, path));

    [Fact]
    public void Boolean_ReadsTheStreamFlag()
    {
        Assert.True(CustomProviderJsonPath.Boolean(Root, "stream"));
        Assert.Null(CustomProviderJsonPath.Boolean(Root, "n"));
    }

    [Fact]
    public void Text_FromBytes_NotJson_IsNull() => Assert.Null(CustomProviderJsonPath.Text("[DONE]"u8, "a"));

    [Fact]
    public void UsageReader_JsonAnswer_RecordsTheCompletionAtItsLocation()
    {
        var usage = new UsageRecorder();
        var reader = new CustomProviderUsageReader(new CustomRouteConfig { ResponseCompletionLocation = "result.outputs.#.text" }, usage);
        var bytes = Encoding.UTF8.GetBytes(Answer);

        reader.ReadChunk(bytes.AsSpan(0, 10));
        reader.ReadChunk(bytes.AsSpan(10));
        reader.Complete();

        Assert.Equal("Hello world", usage.CompletionText);
    }

    [Fact]
    public void UsageReader_Stream_ConcatenatesUntilTheEndWord()
    {
        var usage = new UsageRecorder();
        var reader = new CustomProviderUsageReader(new CustomRouteConfig { StreamResponseCompletionLocation = "delta.text", StreamEndWord = "[END]" }, usage);

        reader.ReadEvent("data: {\"delta\":{\"text\":\"one\"}}\n\n"u8);
        reader.ReadEvent("data: {\"delta\":{\"text\":\" two\"}}\r\n\r\n"u8);
        reader.ReadEvent("data: [END]\n\n"u8);
        reader.ReadEvent("data: {\"delta\":{\"text\":\" after\"}}\n\n"u8);

        Assert.Equal("one two", usage.CompletionText);
    }

    [Fact]
    public void UsageReader_Stream_StopsAfterTooManyEmptyMessagesInARow()
    {
        var usage = new UsageRecorder();
        var reader = new CustomProviderUsageReader(new CustomRouteConfig { StreamResponseCompletionLocation = "t", StreamMaxEmptyMessages = 2 }, usage);

        reader.ReadEvent("data: {\"t\":\"a\"}\n\n"u8);
        reader.ReadEvent("data: {}\n\n"u8);
        reader.ReadEvent("data: {}\n\n"u8);
        reader.ReadEvent("data: {\"t\":\"b\"}\n\n"u8);
        reader.ReadEvent("data: {}\n\n"u8);
        reader.ReadEvent("data: {}\n\n"u8);
        reader.ReadEvent("data: {}\n\n"u8);
        reader.ReadEvent("data: {\"t\":\"c\"}\n\n"u8);

        Assert.Equal("ab", usage.CompletionText);
    }
}
