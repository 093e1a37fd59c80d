using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gateway.Admin.Functions.Tests.Http;

/// <summary><c>X-API-KEY</c> against <c>Admin__Secret</c>: 401 problem+json when missing or wrong (BricksLLM answered 200 with an empty body).</summary>
public sealed class AdminAuthTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "GET", "/api/key-management/keys?tag=a" },
        { "PUT", "/api/key-management/keys" },
        { "PATCH", "/api/key-management/keys/some-id" },
        { "DELETE", "/api/key-management/keys/some-id" },
        { "POST", "/api/v2/key-management/keys" },
        { "GET", "/api/provider-settings" },
        { "POST", "/api/provider-settings" },
        { "PUT", "/api/provider-settings" },
        { "PATCH", "/api/provider-settings/some-id" },
        { "GET", "/api/custom/providers" },
        { "POST", "/api/custom/providers" },
        { "PATCH", "/api/custom/providers/some-id" },
        { "GET", "/api/routes" },
        { "GET", "/api/routes/some-id" },
        { "POST", "/api/routes" },
        { "DELETE", "/api/routes/some-id" },
        { "GET", "/api/users" },
        { "POST", "/api/users" },
        { "PATCH", "/api/users/some-id" },
        { "PATCH", "/api/users?userId=u" },
        { "POST", "/api/openapi.json" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Request_WithoutSecret_Returns401Problem(string method, string path)
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };

        using var response = await client.SendAsync(request);

        var problem = await AdminApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("/errors/unauthorized", (string?)problem["type"]);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(AdminApi.Secret + "x")]
    [InlineData("test-admin-secret")]
    public async Task Request_WrongSecret_Returns401AndNothingChanges(string secret)
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-KEY", secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/provider-settings") { Content = new StringContent("""{"provider":"openai","setting":{"apikey":"sk-unauthorized-0000"}}""") };

        using var response = await client.SendAsync(request);

        await AdminApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        var settings = await _api.OkAsync(HttpMethod.Get, "/api/provider-settings");
        Assert.DoesNotContain(settings.AsArray(), s => (string?)s!["setting"]!["apikey"] == "****0000");
    }

    [Fact]
    public async Task Request_RightSecret_IsServed()
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", AdminApi.Secret);

        using var response = await client.GetAsync("/api/routes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/openapi.json")]
    [InlineData("/api/docs")]
    public async Task PublicPaths_WithoutSecret_Served(string path)
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rejection_IsLoggedWithoutThePresentedSecret()
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-KEY", "presented-wrong-secret-771");

        using var response = await client.GetAsync("/api/users?tags=rejection-log");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_api.Logs.Lines, l => l.EventId.Id == 2000 && l.Text.Contains("/api/users", StringComparison.Ordinal));
        Assert.DoesNotContain(_api.Logs.Lines, l => l.Text.Contains("presented-wrong-secret-771", StringComparison.Ordinal));
    }
}
