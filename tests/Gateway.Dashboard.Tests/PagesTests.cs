using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class PagesTests(DashboardFixture fixture)
{
    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task EveryPage_RendersWithoutErrors_AndNoResponseHoldsASecret(string width)
    {
        await using var session = await DashboardSession.OpenAsync(fixture, width == "phone" ? DashboardSession.Phone : DashboardSession.Desktop);
        var page = session.Page;
        await session.OpenDashboardAsync();
        await session.ScreenshotAsync($"signin-{width}");
        await session.SignInAsync();
        await session.ScreenshotAsync($"overview-{width}");

        await session.GoAsync("keys");
        await session.ScreenshotAsync($"keys-{width}");
        await page.ClickAsync("[data-testid=new-key]");
        await session.ScreenshotAsync($"keys-create-{width}");
        await page.Keyboard.PressAsync("Escape");

        await session.GoAsync("providers");
        foreach (var tab in new[] { "settings", "custom", "routes", "users" })
        {
            await page.ClickAsync($"button[data-tab={tab}]");
            await page.WaitForSelectorAsync($"[data-page=providers][data-loaded={tab}] [data-section={tab}] table");
            await session.ScreenshotAsync($"providers-{tab}-{width}");
            if (tab == "settings")
            {
                // Provider settings show their parameters masked: the credential's end at most, never the credential.
                await Assertions.Expect(page.Locator("[data-testid=settings-table]")).ToContainTextAsync("apikey:");
                Assert.DoesNotContain(fixture.ProviderCredential, await page.ContentAsync(), StringComparison.Ordinal);
            }
        }

        await session.GoAsync("events");
        await session.ScreenshotAsync($"events-{width}");
        await page.Locator("[data-testid=events-table] tbody tr").First.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=event-detail]");
        await session.ScreenshotAsync($"event-detail-{width}");

        foreach (var (url, body) in await session.ResponsesAsync())
        {
            Assert.False(body.Contains(fixture.ProviderCredential, StringComparison.Ordinal), $"{url} holds the provider credential");
            foreach (var key in fixture.Keys)
            {
                Assert.False(body.Contains(key.RawKey, StringComparison.Ordinal), $"{url} holds a raw key");
            }
        }

        Assert.True(session.Overflows.Count == 0, "wider than the viewport: " + string.Join(", ", session.Overflows));
        session.AssertNoErrors();
    }

    [Fact]
    public async Task UserForm_InvalidLimit_ShowsTheApiMessageByField_ThenCreates()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync();
        await session.GoAsync("providers");
        await page.ClickAsync("button[data-tab=users]");
        await page.WaitForSelectorAsync("[data-page=providers][data-loaded=users] [data-testid=users-table]");

        await page.ClickAsync("[data-testid=new-users]");
        var form = page.Locator("[data-testid=user-form]");
        var userId = "dash-user-" + Guid.NewGuid().ToString("n")[..6];
        await form.Locator("[name=userId]").FillAsync(userId);
        await form.Locator("[name=costLimitInUsdOverTime]").FillAsync("5");
        session.ExpectHttpFailure("/api/users", 400);
        await form.Locator("button[type=submit]").ClickAsync();

        var message = form.Locator("[data-error-for=costLimitInUsdUnit]");
        await Assertions.Expect(message).ToContainTextAsync("costLimitInUsdUnit is required");
        await Assertions.Expect(form.Locator("[name=costLimitInUsdUnit]")).ToHaveClassAsync("invalid");

        await form.Locator("[name=costLimitInUsdUnit]").SelectOptionAsync("d");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=users-table]")).ToContainTextAsync(userId);
        await Assertions.Expect(page.Locator("[data-testid=users-table]")).ToContainTextAsync("$5 per d");
        session.AssertNoErrors();
    }
}
