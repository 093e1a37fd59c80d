using System.Text.Json;
using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Costing;

public sealed class PriceTableTests
{
    [Theory]
    [InlineData("openai", "gpt-4o", 2.50)]
    [InlineData("openai", "GPT-4O", 2.50)]
    [InlineData("openai", "gpt-4o-2024-08-06", 2.50)]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", 0.15)]
    [InlineData("openai", "gpt-4.1-mini-2025-04-14", 0.40)]
    [InlineData("openai", "gpt-4-0613", 30.00)]
    [InlineData("openai", "gpt-4-turbo-2024-04-09", 10.00)]
    [InlineData("openai", "gpt-4-32k-0613", 60.00)]
    [InlineData("openai", "o3-mini-2025-01-31", 1.10)]
    [InlineData("anthropic", "claude-3-opus-latest", 15.00)]
    [InlineData("anthropic", "claude-3-5-haiku@20241022", 0.80)]
    [InlineData("anthropic", "claude-sonnet-4-20250514", 3.00)]
    [InlineData("anthropic", "claude-opus-4-1-20250805", 15.00)]
    [InlineData("anthropic", "claude-instant-1.2", 0.80)]
    [InlineData("azure", "gpt-35-turbo-16k", 3.00)]
    [InlineData("azure", "gpt-4o", 2.50)]
    public void Find_KnownModel_HasItsInputPrice(string provider, string model, double input)
        => Assert.Equal((decimal)input, PriceTable.Default.Find(provider, model)!.Input);

    [Theory]
    [InlineData("openai", "gpt-4.5-preview")]
    [InlineData("openai", "gpt-4o2")]
    [InlineData("openai", "")]
    [InlineData("anthropic", "gpt-4o")]
    [InlineData("vllm", "gpt-4o")]
    [InlineData("nosuchprovider", "gpt-4o")]
    public void Find_UnknownModel_IsNull(string provider, string model) => Assert.Null(PriceTable.Default.Find(provider, model));

    [Fact]
    public void Find_Prefix_NeedsABoundary()
    {
        // gpt-4.1 extends gpt-4 but not at a '-': it has its own price, not gpt-4's.
        Assert.Equal(2.00m, PriceTable.Default.Find("openai", "gpt-4.1")!.Input);
        Assert.Equal(0.50m, PriceTable.Default.Find("openai", "o3")!.CachedInput);
    }

    [Fact]
    public void Parse_TypoInOverride_IsRejected()
        => Assert.ThrowsAny<JsonException>(() => PriceTable.Parse("""{"providers":{"vllm":{"models":{"m":{"imput":1}}}}}"""));

    [Fact]
    public void EmbeddedTable_EveryEntry_HasAPrice()
    {
        foreach (var provider in new[] { "openai", "azure", "anthropic" })
        {
            var document = PriceTable.Parse(ReadEmbedded());
            foreach (var (model, price) in document.Providers[provider].Models)
            {
                Assert.True(price.Input is > 0 || price.Images is { Count: > 0 } || price.AudioPerMinute > 0 || price.SpeechPerMillionCharacters > 0, $"{provider}/{model} has no price");
            }
        }
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("Gateway.Domain.Usage.Costing.prices.json")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
