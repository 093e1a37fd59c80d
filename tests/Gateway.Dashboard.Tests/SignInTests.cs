using System.Net;
using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task SignIn_WrongSecret_IsRefusedAndSetsNoCookie()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        session.ExpectHttpFailure("/api/dashboard/session", 401);
        await session.OpenDashboardAsync();
        await session.Page.FillAsync("#signin-secret", "not-the-secret");
        await session.Page.ClickAsync("#signin-form button[type=submit]");

        await Assertions.Expect(session.Page.Locator("#signin-error")).ToHaveTextAsync("The admin secret is not correct.");
        Assert.True(await session.Page.Locator("#shell").IsHiddenAsync());
        Assert.Empty(await session.Context.CookiesAsync());

        // Without a session the admin API stays closed to the browser.
        session.ExpectHttpFailure("/api/provider-settings", 401);
        Assert.Equal(401, await session.Page.EvaluateAsync<int>("async () => (await fetch('/api/provider-settings')).status"));
        session.AssertNoErrors();
    }

    [Fact]
    public async Task SignIn_RightSecret_SetsHttpOnlyStrictExpiringCookie_SignOutEndsIt()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();

        var cookie = Assert.Single(await session.Context.CookiesAsync());
        Assert.Equal("gw_dashboard", cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP on loopback here; Secure over HTTPS and under the Functions host
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(7.9), DateTimeOffset.UtcNow.AddHours(8.1));
        Assert.Equal(0, await session.Page.EvaluateAsync<int>("() => document.cookie.length")); // HttpOnly: invisible to scripts

        // Scripts keep the X-API-KEY rule: the admin API answers them as before, and a wrong key is 401.
        using var wrong = new HttpClient { BaseAddress = fixture.AdminBase };
        wrong.DefaultRequestHeaders.Add("X-API-KEY", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/provider-settings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync("/api/provider-settings")).StatusCode);

        await session.Page.ClickAsync("#signout");
        await Assertions.Expect(session.Page.Locator("#signin")).ToBeVisibleAsync();
        Assert.Empty(await session.Context.CookiesAsync());
        session.ExpectHttpFailure("/api/v2/key-management/keys", 401);
        Assert.Equal(401, await session.Page.EvaluateAsync<int>("async () => (await fetch('/api/v2/key-management/keys', {method: 'POST', body: '{}'})).status"));
        session.AssertNoErrors();
    }
}
