using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Costing;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("o1", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("o4-mini-2025-04-16", "o200k_base")]
    [InlineData("chatgpt-4o-latest", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("gpt-35-turbo", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base")]
    [InlineData("omni-unknown", "cl100k_base")]
    [InlineData("claude-3-5-sonnet-20241022", "claude")]
    [InlineData(null, "cl100k_base")]
    public void EncodingFor_Model_IsTheFamilyEncoding(string? model, string encoding) => Assert.Equal(encoding, TokenCounter.EncodingFor(model));

    [Fact]
    public void Count_KnownText_IsTheTokenizerCount()
    {
        // tiktoken's documented example: "Hello, world!" is [9906, 11, 1917, 0] in cl100k_base.
        Assert.Equal(4, TokenCounter.Count("gpt-4", "Hello, world!"));
        Assert.Equal(4, TokenCounter.Count("gpt-4o", "Hello, world!"));
        Assert.Equal(0, TokenCounter.Count("gpt-4o", null));
        Assert.Equal(0, TokenCounter.Count("gpt-4o", string.Empty));
    }
}
