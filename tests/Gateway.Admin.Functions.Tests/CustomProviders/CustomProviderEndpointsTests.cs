using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Tests.CustomProviders;

/// <summary><c>/api/custom/providers</c>, in BricksLLM's snake_case.</summary>
public sealed class CustomProviderEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private const string ChatRoute = """{"path":"/chat","target_url":"https://llm.example.test/v1/chat","model_location":"model","request_prompt_location":"messages.#.content","response_completion_location":"choices.0.message.content"}""";

    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task Create_Valid_ReturnsSnakeCaseProvider()
    {
        var name = Unique();
        var body = $$"""
            {"provider":"{{name.ToUpperInvariant()}}","authentication_param":"ApiToken","route_configs":[
              {{ChatRoute}},
              {"path":"/stream","target_url":"http://10.0.0.9:9000/stream","model_location":"model","request_prompt_location":"prompt","response_completion_location":"text",
               "stream_location":"stream","stream_end_word":"[DONE]","stream_response_completion_location":"delta.text","stream_max_empty_messages":10}]}
            """;

        var provider = await _api.OkAsync(HttpMethod.Post, "/api/custom/providers", body);

        Assert.True(Guid.TryParse((string?)provider["id"], out _));
        Assert.Equal(name, (string?)provider["provider"]);
        Assert.Equal("apitoken", (string?)provider["authentication_param"]);
        Assert.True((long)provider["created_at"]! > 0);
        Assert.Equal((long)provider["created_at"]!, (long)provider["updated_at"]!);
        var stream = provider["route_configs"]![1]!;
        Assert.Equal("/stream", (string?)stream["path"]);
        Assert.Equal("http://10.0.0.9:9000/stream", (string?)stream["target_url"]);
        Assert.Equal("[DONE]", (string?)stream["stream_end_word"]);
        Assert.Equal("delta.text", (string?)stream["stream_response_completion_location"]);
        Assert.Equal(10, (int)stream["stream_max_empty_messages"]!);
        Assert.Equal("choices.0.message.content", (string?)provider["route_configs"]![0]!["response_completion_location"]);
    }

    [Theory]
    [InlineData("""{"route_configs":[ROUTE]}""", "provider is required")]
    [InlineData("""{"provider":"openai","route_configs":[ROUTE]}""", "provider must not be the name of a built-in provider")]
    [InlineData("""{"provider":"my provider","route_configs":[ROUTE]}""", "provider must be letters, digits")]
    [InlineData("""{"provider":"a/b","route_configs":[ROUTE]}""", "provider must be letters, digits")]
    [InlineData("""{"provider":"NAME"}""", "route_configs is required")]
    [InlineData("""{"provider":"NAME","route_configs":[]}""", "route_configs is required")]
    [InlineData("""{"provider":"NAME","route_configs":[ROUTE,ROUTE]}""", "route_configs[1].path '/chat' is used twice")]
    [InlineData("""{"provider":"NAME","route_configs":[{"path":"chat","target_url":"https://x.test","model_location":"m","request_prompt_location":"p","response_completion_location":"c"}]}""", "route_configs[0].path must start with /")]
    [InlineData("""{"provider":"NAME","route_configs":[{"path":"/c","target_url":"ftp://x.test","model_location":"m","request_prompt_location":"p","response_completion_location":"c"}]}""", "route_configs[0].target_url must be an absolute http or https URL")]
    [InlineData("""{"provider":"NAME","route_configs":[{"path":"/c","target_url":"https://x.test"}]}""", "route_configs[0].model_location is required")]
    [InlineData("""{"provider":"NAME","route_configs":[{"path":"/c","target_url":"https://x.test","model_location":"m","request_prompt_location":"p","response_completion_location":"c","stream_location":"s"}]}""", "route_configs[0].stream_end_word is required when stream_location is given")]
    [InlineData("""{"provider":"NAME","route_configs":[{"path":"/c","target_url":"https://x.test","model_location":"m","request_prompt_location":"p","response_completion_location":"c","stream_max_empty_messages":-1}]}""", "route_configs[0].stream_max_empty_messages must not be negative")]
    [InlineData("""{"provider":"NAME","route_configs":[ROUTE],"authentication_param":"api key"}""", "authentication_param must be a parameter name without spaces")]
    [InlineData("""{"provider":"NAME","route_configs":[null]}""", "route_configs[0] must be an object")]
    public async Task Create_Invalid_Returns400NamingField(string template, string expected)
    {
        var body = template.Replace("ROUTE", ChatRoute, StringComparison.Ordinal).Replace("NAME", Unique(), StringComparison.Ordinal);

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/custom/providers", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{"provider":"p","route_configs":{}}""", "route_configs must be an array")]
    [InlineData("""{"provider":"p","route_configs":[{"path":"/c","stream_max_empty_messages":"ten"}]}""", "route_configs[0].stream_max_empty_messages must be an integer")]
    public async Task Create_WrongJsonType_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/custom/providers", body, HttpStatusCode.BadRequest);

        Assert.Equal(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_DuplicateName_Returns400()
    {
        var name = Unique();
        await CreateAsync(name);

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/custom/providers", $$"""{"provider":"{{name}}","route_configs":[{{ChatRoute}}]}""", HttpStatusCode.BadRequest);

        Assert.Contains("provider is already used", (string?)problem["detail"]);
    }

    [Fact]
    public async Task List_ReturnsCreatedProviders()
    {
        var name = Unique();
        var created = await CreateAsync(name);

        var list = await _api.OkAsync(HttpMethod.Get, "/api/custom/providers");

        var listed = list.AsArray().Single(p => (string?)p!["id"] == (string?)created["id"])!;
        Assert.Equal(name, (string?)listed["provider"]);
        Assert.Equal("/chat", (string?)listed["route_configs"]![0]!["path"]);
    }

    [Fact]
    public async Task Update_ReplacesRouteConfigs()
    {
        var created = await CreateAsync(Unique());
        var id = (string)created["id"]!;

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/custom/providers/{id}",
            """{"route_configs":[{"path":"/v2/chat","target_url":"https://llm.example.test/v2/chat","model_location":"model","request_prompt_location":"input","response_completion_location":"output"}]}""");

        Assert.Equal(["/v2/chat"], updated["route_configs"]!.AsArray().Select(r => (string)r!["path"]!));
        Assert.Equal((string?)created["provider"], (string?)updated["provider"]);
    }

    [Fact]
    public async Task Update_InvalidRouteConfigs_Returns400()
    {
        var id = (string)(await CreateAsync(Unique()))["id"]!;

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/custom/providers/{id}", $$"""{"route_configs":[{{ChatRoute}},{{ChatRoute}}]}""", HttpStatusCode.BadRequest);

        Assert.Contains("is used twice", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Update_UnknownId_Returns404()
        => await _api.ProblemAsync(HttpMethod.Patch, "/api/custom/providers/nope", """{"authentication_param":"x"}""", HttpStatusCode.NotFound);

    [Fact]
    public async Task Update_NewAuthenticationParam_ExistingSettingsEncryptIt()
    {
        var name = Unique();
        var id = (string)(await CreateAsync(name))["id"]!;
        var setting = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings", "{\"provider\":\"" + name + "\",\"setting\":{\"bearer\":\"later-secret-value-7777\",\"region\":\"eu\"}}");
        Assert.Equal("later-secret-value-7777", (string?)setting["setting"]!["bearer"]);

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/custom/providers/{id}", """{"authentication_param":"bearer"}""");

        Assert.Equal("bearer", (string?)updated["authentication_param"]);
        var listed = await _api.OkAsync(HttpMethod.Get, $"/api/provider-settings?ids={setting["id"]}");
        Assert.Equal("****7777", (string?)listed[0]!["setting"]!["bearer"]);
        await using var db = _api.Database.CreateDbContext();
        var row = await db.ProviderSettings.AsNoTracking().SingleAsync(s => s.Id == (string)setting["id"]!);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu" }, row.Parameters);
        var protector = new CredentialProtector(Options.Create(new EncryptionOptions { Key = _api.EncryptionKey }));
        Assert.Equal("later-secret-value-7777", protector.Unprotect(row.EncryptedSecrets!)["bearer"]);
    }

    private static string Unique() => "cp-" + Guid.NewGuid().ToString("n")[..10];

    private async Task<JsonObject> CreateAsync(string name)
        => (await _api.OkAsync(HttpMethod.Post, "/api/custom/providers", $$"""{"provider":"{{name}}","route_configs":[{{ChatRoute}}]}""")).AsObject();
}
