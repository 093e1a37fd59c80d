using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class EventsTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Events_EachFilter_NarrowsTheList_DetailShowsLoggedBodiesOnly()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();
        await session.GoAsync("events");
        var page = session.Page;
        var filters = page.Locator("[data-testid=event-filters]");
        Assert.Equal(fixture.Events.Count, await CountAsync());

        async Task<int> CountAsync() => int.Parse(await page.Locator("div[data-page=events]").GetAttributeAsync("data-count") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

        async Task SearchAsync(string field, string value)
        {
            await filters.Locator($"[name={field}]").FillAsync(value);
            await filters.Locator("button[type=submit]").ClickAsync();
            await page.WaitForSelectorAsync("div[data-page=events][data-loaded]");
        }

        await SearchAsync("keyId", fixture.Keys[1].KeyId);
        Assert.Equal(2, await CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=events-table] tbody tr").CountAsync());
        await SearchAsync("keyId", string.Empty);

        await SearchAsync("model", "gpt-4o");
        Assert.Equal(1, await CountAsync());
        await SearchAsync("model", string.Empty);

        await SearchAsync("status", "500");
        Assert.Equal(1, await CountAsync());
        await SearchAsync("status", string.Empty);

        await SearchAsync("userId", "user-1");
        Assert.Equal(2, await CountAsync());
        await SearchAsync("userId", string.Empty);

        var from = DateTimeOffset.FromUnixTimeSeconds(fixture.Events[2].CreatedAt - 60);
        await SearchAsync("from", from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, await CountAsync());

        await SearchAsync("customId", "cust-1");
        Assert.Equal(0, await CountAsync()); // cust-1 is older than "from"
        await filters.Locator("[name=from]").FillAsync(DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await SearchAsync("customId", "cust-1");
        Assert.Equal(1, await CountAsync());

        // The detail of the one event whose request was logged: request body shown, response not logged.
        await page.Locator("[data-testid=events-table] tbody tr").First.ClickAsync();
        var detail = page.Locator("[data-testid=event-detail]");
        await Assertions.Expect(detail).ToContainTextAsync("logged prompt");
        await Assertions.Expect(detail).ToContainTextAsync("Not logged for this key.");
        await Assertions.Expect(detail).ToContainTextAsync("cust-1");
        session.AssertNoErrors();
    }
}
