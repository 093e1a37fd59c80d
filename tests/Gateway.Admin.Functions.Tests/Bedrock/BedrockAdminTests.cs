using System.Net;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.Bedrock;

/// <summary>Bedrock in the admin API: its setting's AWS fields are required (and named), and route steps on it are accepted.</summary>
public sealed class BedrockAdminTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private const string Credentials = """{"awsAccessKeyId":"AKIAEXAMPLEKEY000001","awsSecretAccessKey":"secret/example/key/000002","awsRegion":"us-east-1"}""";

    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task CreateSetting_NoAwsFields_400NamesEachOne()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"bedrock","setting":{}}""", HttpStatusCode.BadRequest);

        var detail = (string?)problem["detail"];
        Assert.Contains("setting.awsAccessKeyId is required for provider bedrock", detail, StringComparison.Ordinal);
        Assert.Contains("setting.awsSecretAccessKey is required for provider bedrock", detail, StringComparison.Ordinal);
        Assert.Contains("setting.awsRegion is required for provider bedrock", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"awsSecretAccessKey":"s","awsRegion":"us-east-1"}""", "setting.awsAccessKeyId")]
    [InlineData("""{"awsAccessKeyId":"a","awsRegion":"us-east-1"}""", "setting.awsSecretAccessKey")]
    [InlineData("""{"awsAccessKeyId":"a","awsSecretAccessKey":"","awsRegion":"us-east-1"}""", "setting.awsSecretAccessKey")]
    public async Task CreateSetting_OneAwsFieldMissing_400NamesIt(string setting, string field)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", $$"""{"provider":"bedrock","setting":{{setting}}}""", HttpStatusCode.BadRequest);

        Assert.Equal($"{field} is required for provider bedrock", (string?)problem["detail"]);
    }

    [Fact]
    public async Task CreateSetting_SessionToken_IsASecret()
    {
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings",
            """{"provider":"bedrock","setting":{"awsAccessKeyId":"AKIAEXAMPLEKEY000001","awsSecretAccessKey":"secret/example/key/000002","awsRegion":"us-east-1","awsSessionToken":"session-token-abcdef-9999"}}""");

        Assert.Equal("****9999", (string?)setting["setting"]!["awsSessionToken"]);
        Assert.Equal("us-east-1", (string?)setting["setting"]!["awsRegion"]);
        Assert.DoesNotContain("session-token-abcdef", setting.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRoute_BedrockStep_Accepted()
    {
        var bedrock = await _api.CreateSettingAsync("bedrock", Credentials);
        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"bedrock route key","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{bedrock}}"]}""");
        var path = "/bedrock-" + Guid.NewGuid().ToString("n")[..8];

        var route = await _api.OkAsync(HttpMethod.Post, "/api/routes",
            $$"""{"name":"claude on bedrock","path":"{{path}}","keyIds":["{{(string)key["keyId"]!}}"],"steps":[{"provider":"bedrock","model":"anthropic.claude-3-5-haiku-20241022-v1:0"}]}""");

        Assert.Equal("bedrock", (string?)route["steps"]![0]!["provider"]);
        Assert.Equal("anthropic.claude-3-5-haiku-20241022-v1:0", (string?)route["steps"]![0]!["model"]);
    }

    [Fact]
    public async Task CreateRoute_BedrockStepButKeyHasNoBedrockSetting_400()
    {
        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"openai only","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{fixture.SettingId}}"]}""");

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/routes",
            $$"""{"name":"n","path":"/b-{{Guid.NewGuid():n}}","keyIds":["{{(string)key["keyId"]!}}"],"steps":[{"provider":"bedrock","model":"anthropic.claude-3-5-haiku-20241022-v1:0"}]}""",
            HttpStatusCode.BadRequest);

        Assert.Contains("which has no bedrock provider setting", (string?)problem["detail"], StringComparison.Ordinal);
    }
}
