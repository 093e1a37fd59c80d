using Gateway.Domain.Providers;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Costing;

/// <summary>
/// Costing against hand-computed cases. Expected values are written out as tokens × USD per 1M
/// tokens from prices.json, so a reader can check them; token counts of the texts were counted by
/// hand against the tokenizers (one token per word or punctuation mark for these English texts).
/// </summary>
public sealed class UsageCostCalculatorTests
{
    private const string ChatPath = "/api/providers/openai/v1/chat/completions";

    private static readonly UsageCostCalculator Calculator = new(PriceTable.Default);

    public static TheoryData<string, UsageEventMessage, decimal[], bool, bool> Cases => new()
    {
        {
            "usage present: gpt-4o with cached prompt tokens",
            Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 1000, CachedPromptTokens = 200, CompletionTokens = 500 }),
            // prompt: 800 × 2.50; cached: 200 × 1.25; completion: 500 × 10.00
            [800 * 2.50m / 1e6m, 200 * 1.25m / 1e6m, 500 * 10.00m / 1e6m, 0m, 0m], false, false
        },
        {
            "usage present: o1 reasoning tokens are part of the completion, at the output price",
            Message("openai", "o1-2024-12-17", ChatPath, usage: new TokenUsage { PromptTokens = 100, CompletionTokens = 1000, ReasoningTokens = 800 }),
            [100 * 15m / 1e6m, 0m, 1000 * 60m / 1e6m, 0m, 0m], false, false
        },
        {
            "usage present: Anthropic cache writes and reads at their own prices (family prefix of a dated model)",
            Message("anthropic", "claude-3-5-sonnet-20241022", "/api/providers/anthropic/v1/messages", usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 200, CacheCreationInputTokens = 2000, CacheReadInputTokens = 3000 }),
            [1000 * 3m / 1e6m, 0m, 200 * 15m / 1e6m, 2000 * 3.75m / 1e6m, 3000 * 0.30m / 1e6m], false, false
        },
        {
            "usage absent: counted with o200k_base for gpt-4o-mini",
            // "The quick brown fox jumps over the lazy dog." = 10 tokens; "Hello, world!" = 4 tokens.
            Message("openai", "gpt-4o-mini", ChatPath, prompt: "The quick brown fox jumps over the lazy dog.", completion: "Hello, world!"),
            [10 * 0.15m / 1e6m, 0m, 4 * 0.60m / 1e6m, 0m, 0m], true, false
        },
        {
            "streamed, usage absent: counted with cl100k_base for gpt-3.5-turbo",
            // "Hello there, how are you today?" = 8 tokens; "Hello! How can I help you today?" = 9 tokens.
            Message("openai", "gpt-3.5-turbo-0125", ChatPath, prompt: "Hello there, how are you today?", completion: "Hello! How can I help you today?", streamed: true),
            [8 * 0.50m / 1e6m, 0m, 9 * 1.50m / 1e6m, 0m, 0m], true, false
        },
        {
            "streamed with the usage chunk: exact",
            Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 12, CompletionTokens = 34 }, streamed: true),
            [12 * 2.50m / 1e6m, 0m, 34 * 10m / 1e6m, 0m, 0m], false, false
        },
        {
            "embeddings, usage present: input tokens only",
            Message("openai", "text-embedding-3-small", "/api/providers/openai/v1/embeddings", usage: new TokenUsage { PromptTokens = 1000 }),
            [1000 * 0.02m / 1e6m, 0m, 0m, 0m, 0m], false, false
        },
        {
            "embeddings, usage absent: counted with cl100k_base",
            // "hello world" = 2 tokens.
            Message("openai", "text-embedding-ada-002", "/api/providers/openai/v1/embeddings", prompt: "hello world"),
            [2 * 0.10m / 1e6m, 0m, 0m, 0m, 0m], true, false
        },
        {
            "unknown model: costs 0 and is flagged",
            Message("openai", "my-fine-model", ChatPath, usage: new TokenUsage { PromptTokens = 100, CompletionTokens = 100 }),
            [0m, 0m, 0m, 0m, 0m], false, true
        },
        {
            "vLLM without a configured price: 0 and flagged",
            Message("vllm", "meta-llama/Llama-3-8B", "/api/providers/vllm/v1/chat/completions", usage: new TokenUsage { PromptTokens = 100, CompletionTokens = 100 }),
            [0m, 0m, 0m, 0m, 0m], false, true
        },
        {
            "a dated snapshot with its own price wins over its family",
            Message("openai", "gpt-4o-2024-05-13", ChatPath, usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 1000 }),
            [1000 * 5m / 1e6m, 0m, 1000 * 15m / 1e6m, 0m, 0m], false, false
        },
        {
            "Azure: a model name of its own (gpt-35-turbo) by prefix",
            Message("azure", "gpt-35-turbo-0125", "/api/providers/azure/openai/deployments/d/chat/completions", usage: new TokenUsage { PromptTokens = 2000, CompletionTokens = 1000 }),
            [2000 * 0.50m / 1e6m, 0m, 1000 * 1.50m / 1e6m, 0m, 0m], false, false
        },
        {
            "Azure: a model only the OpenAI table lists falls back to it",
            Message("azure", "gpt-5-mini", "/api/providers/azure/openai/deployments/d/chat/completions", usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 1000 }),
            [1000 * 0.25m / 1e6m, 0m, 1000 * 2m / 1e6m, 0m, 0m], false, false
        },
        {
            "client disconnected: what was reported, marked estimated",
            Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 10, CompletionTokens = 3 }, disconnected: true),
            [10 * 2.50m / 1e6m, 0m, 3 * 10m / 1e6m, 0m, 0m], true, false
        },
        {
            "images: n, size and quality from the logged request",
            Message("openai", "dall-e-3", "/api/providers/openai/v1/images/generations", requestBody: """{"model":"dall-e-3","prompt":"a cat","n":2,"size":"1024x1792","quality":"hd"}"""),
            [0m, 0m, 2 * 0.120m, 0m, 0m], false, false
        },
        {
            "images without the request: one standard 1024x1024 image, estimated",
            Message("openai", "dall-e-3", "/api/providers/openai/v1/images/generations"),
            [0m, 0m, 0.040m, 0m, 0m], true, false
        },
        {
            "transcription: whole seconds over 60 times the per-minute price",
            Message("openai", "whisper-1", "/api/providers/openai/v1/audio/transcriptions", audioSeconds: 90.7),
            [90m / 60m * 0.006m, 0m, 0m, 0m, 0m], false, false
        },
        {
            "speech: characters times the per-character price",
            Message("openai", "tts-1-hd", "/api/providers/openai/v1/audio/speech", speechCharacters: 1000),
            [1000 * 30m / 1e6m, 0m, 0m, 0m, 0m], false, false
        },
        {
            "failed request without usage: nothing to count, nothing estimated",
            Message("openai", "gpt-4o", ChatPath, status: 400),
            [0m, 0m, 0m, 0m, 0m], false, false
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calculate_HandComputedCase_MatchesToTheMicroCent(string description, UsageEventMessage message, decimal[] parts, bool estimated, bool unknown)
    {
        var cost = Calculator.Calculate(message, costMap: null);

        Assert.True(parts[0] == cost.Prompt, $"{description}: prompt {cost.Prompt} != {parts[0]}");
        Assert.True(parts[1] == cost.CachedPrompt, $"{description}: cached prompt {cost.CachedPrompt} != {parts[1]}");
        Assert.True(parts[2] == cost.Completion, $"{description}: completion {cost.Completion} != {parts[2]}");
        Assert.True(parts[3] == cost.CacheWrite, $"{description}: cache write {cost.CacheWrite} != {parts[3]}");
        Assert.True(parts[4] == cost.CacheRead, $"{description}: cache read {cost.CacheRead} != {parts[4]}");
        Assert.Equal(parts.Sum(), cost.Total);
        Assert.Equal(estimated, cost.Estimated);
        Assert.Equal(unknown, cost.UnknownModel);
    }

    [Fact]
    public void Calculate_UsagePresent_ReportsTheProviderTokenCounts()
    {
        var cost = Calculator.Calculate(Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 1000, CachedPromptTokens = 200, CompletionTokens = 500 }), null);
        Assert.Equal(1000, cost.PromptTokens);
        Assert.Equal(500, cost.CompletionTokens);
    }

    [Fact]
    public void Calculate_UsageAbsent_ReportsTheCountedTokens()
    {
        var cost = Calculator.Calculate(Message("openai", "gpt-4o-mini", ChatPath, prompt: "The quick brown fox jumps over the lazy dog.", completion: "Hello, world!", streamed: true), null);
        Assert.Equal(10, cost.PromptTokens);
        Assert.Equal(4, cost.CompletionTokens);
    }

    [Fact]
    public void Calculate_CostMap_ReplacesTablePricesPerThousandTokens()
    {
        var costMap = new CostMap
        {
            PromptCostPerModel = { ["gpt-4o"] = 0.01m },
            CompletionCostPerModel = { ["gpt-4o"] = 0.03m },
        };
        var cost = Calculator.Calculate(Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 1000 }), costMap);

        // 1000 tokens × $0.01 per 1K = $0.01; 1000 × $0.03 per 1K = $0.03.
        Assert.Equal(0.01m, cost.Prompt);
        Assert.Equal(0.03m, cost.Completion);
        Assert.False(cost.UnknownModel);
    }

    [Fact]
    public void Calculate_CostMapZeroOrOtherModel_KeepsTablePrice()
    {
        var costMap = new CostMap
        {
            PromptCostPerModel = { ["gpt-4o"] = 0m, ["gpt-4o-mini"] = 5m },
        };
        var cost = Calculator.Calculate(Message("openai", "gpt-4o", ChatPath, usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 0 }), costMap);
        Assert.Equal(1000 * 2.50m / 1e6m, cost.Prompt);
    }

    [Fact]
    public void Calculate_CostMapForUnknownModel_PricesItAndClearsTheFlag()
    {
        var costMap = new CostMap { PromptCostPerModel = { ["llama-3"] = 0.0001m }, CompletionCostPerModel = { ["llama-3"] = 0.0002m } };
        var cost = Calculator.Calculate(Message("vllm", "llama-3", "/api/providers/vllm/v1/chat/completions", usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 1000 }), costMap);
        Assert.Equal(0.0001m, cost.Prompt);
        Assert.Equal(0.0002m, cost.Completion);
        Assert.False(cost.UnknownModel);
    }

    [Fact]
    public void Calculate_CostMapEmbeddings_UsesTheEmbeddingsMap()
    {
        var costMap = new CostMap { PromptCostPerModel = { ["text-embedding-3-small"] = 9m }, EmbeddingsCostPerModel = { ["text-embedding-3-small"] = 0.001m } };
        var cost = Calculator.Calculate(Message("openai", "text-embedding-3-small", "/api/providers/openai/v1/embeddings", usage: new TokenUsage { PromptTokens = 2000 }), costMap);
        Assert.Equal(0.002m, cost.Prompt);
    }

    [Fact]
    public void Calculate_Overrides_PriceDeploymentsCustomProvidersAndReasoning()
    {
        var table = PriceTable.WithOverrides(PriceTable.Parse("""
            {
              "providers": {
                "azure": { "deployments": { "prod-4o": { "input": 1, "output": 2 } } },
                "vllm": { "models": { "meta-llama/Llama-3-8B": { "input": 0.05, "output": 0.10 } } },
                "openai": { "models": { "o3": { "input": 2, "output": 8, "reasoning": 4 } } }
              }
            }
            """));
        var calculator = new UsageCostCalculator(table);

        var azure = calculator.Calculate(Message("azure", "prod-4o", "/api/providers/azure/openai/deployments/prod-4o/chat/completions", usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 1000 }, deploymentId: "prod-4o"), null);
        Assert.Equal(1000 * 1m / 1e6m, azure.Prompt);
        Assert.Equal(1000 * 2m / 1e6m, azure.Completion);

        var vllm = calculator.Calculate(Message("vllm", "meta-llama/Llama-3-8B", "/api/providers/vllm/v1/chat/completions", usage: new TokenUsage { PromptTokens = 1000, CompletionTokens = 2000 }), null);
        Assert.Equal(1000 * 0.05m / 1e6m, vllm.Prompt);
        Assert.Equal(2000 * 0.10m / 1e6m, vllm.Completion);
        Assert.False(vllm.UnknownModel);

        // 200 visible completion tokens × 8 + 800 reasoning tokens × 4.
        var o3 = calculator.Calculate(Message("openai", "o3", ChatPath, usage: new TokenUsage { PromptTokens = 0, CompletionTokens = 1000, ReasoningTokens = 800 }), null);
        Assert.Equal(((200 * 8m) + (800 * 4m)) / 1e6m, o3.Completion);

        // The embedded table is untouched.
        Assert.Null(PriceTable.Default.Find("vllm", "meta-llama/Llama-3-8B"));
    }

    [Theory]
    [InlineData("/api/providers/openai/v1/chat/completions", UsageKind.Text)]
    [InlineData("/api/providers/anthropic/v1/messages", UsageKind.Text)]
    [InlineData("/api/providers/openai/v1/embeddings", UsageKind.Embeddings)]
    [InlineData("/api/providers/azure/openai/deployments/e/embeddings", UsageKind.Embeddings)]
    [InlineData("/api/providers/openai/v1/images/generations", UsageKind.Images)]
    [InlineData("/api/providers/openai/v1/audio/transcriptions", UsageKind.Transcription)]
    [InlineData("/api/providers/openai/v1/audio/translations", UsageKind.Transcription)]
    [InlineData("/api/providers/openai/v1/audio/speech", UsageKind.Speech)]
    public void KindOf_Path_IsTheBoughtKind(string path, UsageKind kind) => Assert.Equal(kind, UsageCostCalculator.KindOf(path));

    private static UsageEventMessage Message(
        string provider,
        string model,
        string path,
        TokenUsage? usage = null,
        string? prompt = null,
        string? completion = null,
        bool streamed = false,
        bool disconnected = false,
        string? requestBody = null,
        double? audioSeconds = null,
        int? speechCharacters = null,
        string? deploymentId = null,
        int status = 200) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Provider = provider,
        Model = model,
        Path = path,
        Method = "POST",
        Status = status,
        Usage = usage,
        PromptText = prompt,
        CompletionText = completion,
        Streamed = streamed,
        ClientDisconnected = disconnected,
        RequestBody = requestBody,
        AudioSeconds = audioSeconds,
        SpeechCharacters = speechCharacters,
        DeploymentId = deploymentId,
    };
}
