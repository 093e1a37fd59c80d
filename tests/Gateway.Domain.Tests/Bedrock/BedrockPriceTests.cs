using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Bedrock;

/// <summary>Claude on Bedrock is priced as Anthropic's model: the Bedrock id without its vendor and region prefix.</summary>
public sealed class BedrockPriceTests
{
    [Theory]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022")]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022")]
    [InlineData("eu.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku-20240307")]
    public void Find_BedrockClaudeId_IsAnthropicsPrice(string bedrockModel, string anthropicModel)
    {
        var anthropic = PriceTable.Default.Find("anthropic", anthropicModel);

        Assert.NotNull(anthropic);
        Assert.Equal(anthropic, PriceTable.Default.Find("bedrock", bedrockModel));
    }

    [Theory]
    [InlineData("amazon.titan-text-express-v1")]
    [InlineData("anthropic.unknown-model-v1:0")]
    public void Find_BedrockModelWithoutAnthropicPrice_IsNull(string model) => Assert.Null(PriceTable.Default.Find("bedrock", model));

    [Fact]
    public void Find_BedrockOverride_WinsOverAnthropicsPrice()
    {
        var table = PriceTable.WithOverrides(PriceTable.Parse("""{"providers":{"bedrock":{"models":{"anthropic.claude-3-5-haiku-20241022-v1:0":{"input":9,"output":9}}}}}"""));

        Assert.Equal(9m, table.Find("bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0")!.Input);
        Assert.Equal(0.80m, table.Find("bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0")!.Input);
    }
}
