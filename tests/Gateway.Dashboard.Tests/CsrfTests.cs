using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class CsrfTests(DashboardFixture fixture)
{
    private const string AttackerOrigin = "http://attacker.test";

    [Fact]
    public async Task CrossSitePost_WithoutCsrfToken_IsRefused()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();
        var before = (await fixture.AdminJsonAsync(HttpMethod.Get, "/api/provider-settings")).AsArray().Count;

        // A page on another site posts a JSON-looking form to the admin API with the browser's cookies.
        var target = session.Url("/api/provider-settings");
        var attack = $$$"""
            <!doctype html><html><body>
            <form id="f" method="POST" enctype="text/plain" action="{{{target}}}">
              <input name='{"provider":"openai","name":"planted","setting":{"apikey":"sk-planted","x":"' value='"}}'>
            </form>
            <script>document.getElementById('f').submit();</script>
            </body></html>
            """;
        await session.Context.RouteAsync(AttackerOrigin + "/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = attack }));
        var attacker = await session.Context.NewPageAsync();
        var answer = await attacker.RunAndWaitForResponseAsync(() => attacker.GotoAsync(AttackerOrigin + "/"), r => r.Url == target);
        Assert.Equal(401, answer.Status);

        // The same call from the dashboard's own origin with the cookie but without the token: refused too.
        session.ExpectHttpFailure("/api/provider-settings", 401);
        var sameOrigin = await session.Page.EvaluateAsync<int>("""
            async () => (await fetch('/api/provider-settings', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ provider: 'openai', name: 'planted', setting: { apikey: 'sk-planted' } }) })).status
            """);
        Assert.Equal(401, sameOrigin);
        var wrongToken = await session.Page.EvaluateAsync<int>("""
            async () => (await fetch('/api/provider-settings', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': 'forged' },
              body: JSON.stringify({ provider: 'openai', name: 'planted', setting: { apikey: 'sk-planted' } }) })).status
            """);
        Assert.Equal(401, wrongToken);
        Assert.Equal(before, (await fixture.AdminJsonAsync(HttpMethod.Get, "/api/provider-settings")).AsArray().Count);

        // With the session's token the dashboard's own call goes through (a read-only POST here).
        var withToken = await session.Page.EvaluateAsync<int>("""
            async () => {
              const s = await (await fetch('/api/dashboard/session')).json();
              return (await fetch('/api/v2/key-management/keys', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': s.csrfToken }, body: '{}' })).status;
            }
            """);
        Assert.Equal(200, withToken);
        session.AssertNoErrors();
    }
}
