using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Dashboard.Tests;

/// <summary>The session endpoint and the cookie rule over plain HTTP: bad input, tampering, sign-out.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SessionEndpointTests(DashboardFixture fixture)
{
    public static TheoryData<string> BadBodies => ["", "not json", "[]", "null", """{"secret":12}""", "{\"secret\":\"x\",\"pad\":\"" + new string('a', 5000) + "\"}"];

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task SignIn_BadBody_Answers400ProblemAndNoCookie(string body)
    {
        using var client = new HttpClient { BaseAddress = fixture.AdminBase };
        using var response = await client.PostAsync("/api/dashboard/session", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Cookie_Tampered_IsRefused_Genuine_IsAccepted()
    {
        var (cookie, csrf) = await SignInAsync();
        Assert.Equal(HttpStatusCode.OK, await GetSettingsAsync(cookie));

        var parts = cookie.Split('.');
        var longer = parts[0] + "." + (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 86_400) + "." + parts[2];
        var otherMac = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetSettingsAsync(longer));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetSettingsAsync(otherMac));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetSettingsAsync("garbage"));
        Assert.False(string.IsNullOrEmpty(csrf));
    }

    [Fact]
    public async Task SignOut_WithoutToken_Is403_WithToken_RemovesTheCookie()
    {
        var (cookie, csrf) = await SignInAsync();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.AdminBase };

        using var refused = new HttpRequestMessage(HttpMethod.Delete, "/api/dashboard/session");
        refused.Headers.Add("Cookie", "gw_dashboard=" + cookie);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(refused)).StatusCode);

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/dashboard/session");
        signOut.Headers.Add("Cookie", "gw_dashboard=" + cookie);
        signOut.Headers.Add("X-CSRF-TOKEN", csrf);
        using var response = await client.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gw_dashboard=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(string Cookie, string Csrf)> SignInAsync()
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.AdminBase };
        using var response = await client.PostAsync("/api/dashboard/session", new StringContent($$"""{"secret":"{{DashboardFixture.AdminSecret}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api", setCookie, StringComparison.OrdinalIgnoreCase);
        var value = setCookie.Split(';')[0]["gw_dashboard=".Length..];
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["signedIn"]!);
        return (value, (string)body["csrfToken"]!);
    }

    private async Task<HttpStatusCode> GetSettingsAsync(string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.AdminBase };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/provider-settings");
        request.Headers.Add("Cookie", "gw_dashboard=" + cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
