using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Tests.ProviderSettings;

/// <summary><c>/api/provider-settings</c>: validation per provider, encryption at rest, masking, merge on update.</summary>
public sealed class ProviderSettingEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task Create_OpenAi_Returns200WithMaskedKey(string method)
    {
        var setting = await _api.OkAsync(new HttpMethod(method), "/api/provider-settings",
            """{"provider":"openai","name":"prod","setting":{"apikey":"sk-proj-abcdefghijklmnop1234"},"allowedModels":["gpt-4o","gpt-4o-mini"]}""");

        Assert.True(Guid.TryParse((string?)setting["id"], out _));
        Assert.Equal("openai", (string?)setting["provider"]);
        Assert.Equal("prod", (string?)setting["name"]);
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], setting["allowedModels"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("****1234", (string?)setting["setting"]!["apikey"]);
        Assert.True((long)setting["createdAt"]! > 0);
        Assert.Equal((long)setting["createdAt"]!, (long)setting["updatedAt"]!);
        Assert.DoesNotContain("abcdefghijklmnop", setting.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ShortSecret_FullyMasked()
    {
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"anthropic","setting":{"apikey":"short-key"}}""");

        Assert.Equal("****", (string?)setting["setting"]!["apikey"]);
    }

    [Fact]
    public async Task Create_ApiKeyCamelCase_StoredEncryptedAsApikey()
    {
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings",
            """{"provider":"azure","setting":{"apiKey":"azure-secret-value-0001","resourceName":"my-openai"}}""");

        Assert.Equal("****0001", (string?)setting["setting"]!["apikey"]);
        Assert.Equal("my-openai", (string?)setting["setting"]!["resourceName"]);
        await using var db = _api.Database.CreateDbContext();
        var row = await db.ProviderSettings.AsNoTracking().SingleAsync(s => s.Id == (string)setting["id"]!);
        Assert.Equal(new Dictionary<string, string> { ["resourceName"] = "my-openai" }, row.Parameters);
        Assert.NotNull(row.EncryptedSecrets);
        Assert.DoesNotContain("azure-secret-value-0001", Encoding.UTF8.GetString(row.EncryptedSecrets), StringComparison.Ordinal);
        var secrets = Protector().Unprotect(row.EncryptedSecrets);
        Assert.Equal(new Dictionary<string, string> { ["apikey"] = "azure-secret-value-0001" }, secrets);
    }

    [Fact]
    public async Task Create_Bedrock_AwsCredentialsAreSecret()
    {
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings",
            """{"provider":"bedrock","setting":{"awsAccessKeyId":"AKIAEXAMPLEKEY000001","awsSecretAccessKey":"secret/example/key/000002","awsRegion":"us-east-1"}}""");

        Assert.Equal("****0001", (string?)setting["setting"]!["awsAccessKeyId"]);
        Assert.Equal("****0002", (string?)setting["setting"]!["awsSecretAccessKey"]);
        Assert.Equal("us-east-1", (string?)setting["setting"]!["awsRegion"]);
    }

    [Fact]
    public async Task Create_CostMap_StoredAndReturned()
    {
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings",
            """{"provider":"vllm","setting":{"url":"https://vllm.internal:8000/"},"costMap":{"promptCostPerModel":{"llama-3":0.0005},"completionCostPerModel":{"llama-3":0.0015}}}""");

        Assert.Equal(0.0005m, (decimal)setting["costMap"]!["promptCostPerModel"]!["llama-3"]!);
        Assert.Equal(0.0015m, (decimal)setting["costMap"]!["completionCostPerModel"]!["llama-3"]!);
        Assert.Empty(setting["costMap"]!["embeddingsCostPerModel"]!.AsObject());
        Assert.Equal("https://vllm.internal:8000/", (string?)setting["setting"]!["url"]);
        await using var db = _api.Database.CreateDbContext();
        var row = await db.ProviderSettings.AsNoTracking().SingleAsync(s => s.Id == (string)setting["id"]!);
        Assert.Equal(0.0015m, row.CostMap!.CompletionCostPerModel["llama-3"]);
        Assert.Null(row.EncryptedSecrets);
    }

    [Theory]
    [InlineData("""{"setting":{"apikey":"x"}}""", "provider is required")]
    [InlineData("""{"provider":"openia","setting":{"apikey":"x"}}""", "provider must be one of openai, anthropic, azure, vllm, deepinfra, bedrock, openai-compatible or the name of a custom provider")]
    [InlineData("""{"provider":"openai-compatible","name":"groq","setting":{}}""", "setting.url is required for provider openai-compatible")]
    [InlineData("""{"provider":"openai-compatible","setting":{"url":"https://api.groq.com/openai/v1"}}""", "name is required for provider openai-compatible")]
    [InlineData("""{"provider":"openai-compatible","name":"my groq","setting":{"url":"https://api.groq.com/openai/v1"}}""", "name is required for provider openai-compatible")]
    [InlineData("""{"provider":"openai-compatible","name":"OpenAI","setting":{"url":"https://api.groq.com/openai/v1"}}""", "'OpenAI' is a built-in provider's path")]
    [InlineData("""{"provider":"openai"}""", "setting.apikey is required for provider openai")]
    [InlineData("""{"provider":"openai","setting":{"apikey":""}}""", "setting.apikey is required for provider openai")]
    [InlineData("""{"provider":"anthropic","setting":{"key":"x"}}""", "setting.apikey is required for provider anthropic")]
    [InlineData("""{"provider":"deepinfra","setting":{}}""", "setting.apikey is required for provider deepinfra")]
    [InlineData("""{"provider":"azure","setting":{"apikey":"x"}}""", "setting.resourceName is required for provider azure")]
    [InlineData("""{"provider":"azure","setting":{"apikey":"x","resourceName":"evil.example.com/x#"}}""", "setting.resourceName must be an Azure resource name")]
    [InlineData("""{"provider":"vllm","setting":{}}""", "setting.url is required for provider vllm")]
    [InlineData("""{"provider":"vllm","setting":{"url":"not a url"}}""", "setting.url must be an absolute http or https URL")]
    [InlineData("""{"provider":"vllm","setting":{"url":"file:///etc/passwd"}}""", "setting.url must be an absolute http or https URL")]
    [InlineData("""{"provider":"bedrock","setting":{"awsAccessKeyId":"a","awsSecretAccessKey":"b"}}""", "setting.awsRegion is required for provider bedrock")]
    [InlineData("""{"provider":"openai","setting":{"apikey":"a","apiKey":"b"}}""", "is given twice")]
    [InlineData("""{"provider":"openai","setting":{"apikey":null}}""", "setting.apikey must be a string")]
    [InlineData("""{"provider":"openai","setting":{"apikey":"x"},"allowedModels":[""]}""", "allowedModels[0] must be a non-empty string")]
    [InlineData("""{"provider":"openai","setting":{"apikey":"x"},"costMap":{"promptCostPerModel":{"gpt-4o":-1}}}""", "costMap.promptCostPerModel.gpt-4o must not be negative")]
    public async Task Create_Invalid_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", body, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/validation", (string?)problem["type"]);
        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{"provider":"openai","setting":{"apikey":123}}""", "setting.apikey must be a string")]
    [InlineData("""{"provider":"openai","setting":"sk-x"}""", "setting must be an object")]
    [InlineData("""{"provider":["openai"],"setting":{}}""", "provider must be a string")]
    [InlineData("""{"provider":"openai","setting":{"apikey":"x"},"costMap":{"promptCostPerModel":{"gpt-4o":"0.1"}}}""", "costMap.promptCostPerModel.gpt-4o must be a number")]
    public async Task Create_WrongJsonType_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", body, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/json-unmarshal", (string?)problem["type"]);
        Assert.Equal(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_ForCustomProvider_RequiresAndEncryptsItsAuthenticationParam()
    {
        await _api.OkAsync(HttpMethod.Post, "/api/custom/providers",
            """{"provider":"acme-llm","authentication_param":"token","route_configs":[{"path":"/chat","target_url":"https://llm.acme.test/v1/chat","model_location":"model","request_prompt_location":"prompt","response_completion_location":"text"}]}""");

        var missing = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"acme-llm","setting":{"region":"eu"}}""", HttpStatusCode.BadRequest);
        Assert.Contains("setting.token is required for provider acme-llm", (string?)missing["detail"]);

        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"ACME-LLM","setting":{"token":"acme-token-secret-9999","region":"eu"}}""");
        Assert.Equal("acme-llm", (string?)setting["provider"]);
        Assert.Equal("****9999", (string?)setting["setting"]!["token"]);
        Assert.Equal("eu", (string?)setting["setting"]!["region"]);
        await using var db = _api.Database.CreateDbContext();
        var row = await db.ProviderSettings.AsNoTracking().SingleAsync(s => s.Id == (string)setting["id"]!);
        Assert.False(row.Parameters.ContainsKey("token"));
        Assert.Equal("acme-token-secret-9999", Protector().Unprotect(row.EncryptedSecrets!)["token"]);
    }

    [Fact]
    public async Task List_All_And_ByIds()
    {
        var first = await _api.CreateSettingAsync();
        var second = await _api.CreateSettingAsync("anthropic");

        var all = await _api.OkAsync(HttpMethod.Get, "/api/provider-settings");
        var byIds = await _api.OkAsync(HttpMethod.Get, $"/api/provider-settings?ids={first}&ids[]={second}&ids=unknown");
        var one = await _api.OkAsync(HttpMethod.Get, $"/api/provider-settings?ids={second}");

        Assert.Contains(first, all.AsArray().Select(s => (string)s!["id"]!));
        Assert.Equal(new[] { first, second }.Order(), byIds.AsArray().Select(s => (string)s!["id"]!).Order());
        Assert.Equal([second], one.AsArray().Select(s => (string)s!["id"]!));
        Assert.All(all.AsArray(), s => Assert.StartsWith("****", (string?)s!["setting"]!["apikey"] ?? "****"));
    }

    [Fact]
    public async Task Update_MergesSettingAndReEncrypts()
    {
        var created = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings",
            """{"provider":"azure","name":"before","setting":{"apikey":"azure-old-secret-0000","resourceName":"res-one"}}""");
        var id = (string)created["id"]!;

        var renamed = await _api.OkAsync(HttpMethod.Patch, $"/api/provider-settings/{id}", """{"name":"after","setting":{"resourceName":"res-two"},"allowedModels":["gpt-4o"]}""");
        Assert.Equal("after", (string?)renamed["name"]);
        Assert.Equal("res-two", (string?)renamed["setting"]!["resourceName"]);
        Assert.Equal("****0000", (string?)renamed["setting"]!["apikey"]);
        Assert.Equal(["gpt-4o"], renamed["allowedModels"]!.AsArray().Select(m => (string)m!));

        var rotated = await _api.OkAsync(HttpMethod.Patch, $"/api/provider-settings/{id}", """{"setting":{"apiKey":"azure-new-secret-1111"}}""");
        Assert.Equal("****1111", (string?)rotated["setting"]!["apikey"]);
        Assert.Equal("res-two", (string?)rotated["setting"]!["resourceName"]);
        Assert.Equal("after", (string?)rotated["name"]);
        await using var db = _api.Database.CreateDbContext();
        var row = await db.ProviderSettings.AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.Equal("azure-new-secret-1111", Protector().Unprotect(row.EncryptedSecrets!)["apikey"]);
    }

    [Fact]
    public async Task Update_BlankingRequiredParameter_Returns400()
    {
        var id = await _api.CreateSettingAsync();

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/provider-settings/{id}", """{"setting":{"apikey":""}}""", HttpStatusCode.BadRequest);

        Assert.Contains("setting.apikey is required for provider openai", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Update_UnknownId_Returns404()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Patch, "/api/provider-settings/nope", """{"name":"x"}""", HttpStatusCode.NotFound);

        Assert.Equal("/errors/not-found", (string?)problem["type"]);
    }

    [Fact]
    public async Task Update_NonJson_Returns400()
    {
        var id = await _api.CreateSettingAsync();

        await _api.ProblemAsync(HttpMethod.Patch, $"/api/provider-settings/{id}", "name=x", HttpStatusCode.BadRequest);
    }

    private CredentialProtector Protector() => new(Options.Create(new EncryptionOptions { Key = _api.EncryptionKey }));
}
