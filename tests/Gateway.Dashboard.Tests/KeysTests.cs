using System.Diagnostics;
using System.Net;
using Gateway.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class KeysTests(DashboardFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Key_CreatedThroughTheForm_IsListedAndWorksOnTheProxy_RevokedIsRefusedWithinOneSecond()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();
        await session.GoAsync("keys");
        var page = session.Page;
        var name = "Dashboard key " + Guid.NewGuid().ToString("n")[..8];
        var rawKey = "gw-dash-" + Guid.NewGuid().ToString("n");

        await page.ClickAsync("[data-testid=new-key]");
        var form = page.Locator("[data-testid=key-form]");
        await form.Locator("[name=name]").FillAsync(name);
        await form.Locator("[name=key]").FillAsync(rawKey);
        await form.Locator("[name=tags]").FillAsync("dashboard, created");
        await form.Locator("[name=settingIds]").SelectOptionAsync(fixture.SettingId);
        await form.Locator("[name=costLimitInUsd]").FillAsync("2.5");
        await form.Locator("[name=rateLimitOverTime]").FillAsync("50");
        await form.Locator("[name=rateLimitUnit]").SelectOptionAsync("m");
        await form.Locator("[name=ttl]").FillAsync("30d");
        await form.Locator("button[type=submit]").ClickAsync();

        // The raw key is shown once; the key is in the list with its tags, limits and state.
        await Assertions.Expect(page.Locator("[data-testid=raw-key]")).ToHaveTextAsync(rawKey);
        var row = page.Locator($"tr[data-name=\"{name}\"]");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-state=active]")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("created");
        await Assertions.Expect(row).ToContainTextAsync("$0.00 / $2.50");
        await Assertions.Expect(row).ToContainTextAsync("0 / 50");
        var keyId = await row.GetAttributeAsync("data-key-id");
        Assert.False(string.IsNullOrEmpty(keyId));

        await page.ClickAsync("[data-testid=raw-key-done]");
        Assert.DoesNotContain(rawKey, await page.ContentAsync(), StringComparison.Ordinal);

        // It works on the proxy (which sees new keys within its config refresh).
        await Eventually.AssertAsync(() => fixture.CallProxyAsync(rawKey).Result == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the new key works on the proxy");

        // Revoke: the proxy refuses the key within a second of the admin API's answer.
        var revoked = await page.RunAndWaitForResponseAsync(
            () => row.Locator("button[data-action=revoke]").ClickAsync(),
            r => r.Url.EndsWith("/api/key-management/keys/" + keyId, StringComparison.Ordinal) && r.Request.Method == "PATCH");
        Assert.Equal(200, revoked.Status);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = await fixture.CallProxyAsync(rawKey)) == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(elapsed <= TimeSpan.FromSeconds(1), $"the proxy refused the revoked key after {elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"revoked key refused by the proxy {elapsed.TotalMilliseconds:F0} ms after the revoke answer");
        await Assertions.Expect(page.Locator($"tr[data-name=\"{name}\"] [data-state=revoked]")).ToBeVisibleAsync();

        // Nothing the browser received holds the raw key or the provider credential.
        foreach (var (url, body) in await session.ResponsesAsync())
        {
            Assert.False(body.Contains(rawKey, StringComparison.Ordinal), $"{url} echoed the raw key");
            Assert.False(body.Contains(fixture.ProviderCredential, StringComparison.Ordinal), $"{url} holds the provider credential");
        }

        Assert.DoesNotContain(rawKey, await page.ContentAsync(), StringComparison.Ordinal);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task Keys_SearchByName_NarrowsTheList_EditLimitShowsProgress()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();
        await session.GoAsync("keys");
        var page = session.Page;
        await Assertions.Expect(page.Locator("tr[data-name=\"Team Alpha\"]")).ToBeVisibleAsync();

        await Assertions.Expect(page.Locator("tr[data-name=\"Old key\"] [data-state=expired]")).ToBeVisibleAsync();

        await page.FillAsync("[data-testid=key-search]", "Beta");
        await Assertions.Expect(page.Locator("tr[data-name=\"Team Alpha\"]")).ToHaveCountAsync(0);
        var beta = page.Locator("tr[data-name=\"Team Beta\"]");
        await Assertions.Expect(beta).ToBeVisibleAsync();
        await Assertions.Expect(beta).ToContainTextAsync("Spent $0.031");

        // Edit: a total limit of $0.10 shows the seeded spend against it.
        await beta.Locator("button", new() { HasText = "Edit" }).ClickAsync();
        var form = page.Locator("[data-testid=key-edit-form]");
        await form.Locator("[name=costLimitInUsd]").FillAsync("0.1");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(beta).ToContainTextAsync("$0.031 / $0.10");
        var bar = beta.Locator("[role=progressbar]");
        Assert.Equal("0.031", await bar.GetAttributeAsync("aria-valuenow"));
        session.AssertNoErrors();
    }
}
