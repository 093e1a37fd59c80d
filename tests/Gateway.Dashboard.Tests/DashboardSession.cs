using System.Collections.Concurrent;
using Gateway.Testing;
using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

/// <summary>
/// One browser context on the dashboard: records every console error, page error and response body
/// the browser received, so that tests can assert there were none of the first two and scan the last.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<Task<(string Url, string Body)>> _bodies = new();
    private readonly List<(string UrlPart, int Status)> _expectedFailures = [];

    private DashboardSession(DashboardFixture fixture, IBrowserContext context, IPage page)
    {
        Fixture = fixture;
        Context = context;
        Page = page;
    }

    public DashboardFixture Fixture { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string Url(string path) => new Uri(Fixture.AdminBase, path).ToString();

    public static async Task<DashboardSession> OpenAsync(DashboardFixture fixture, ViewportSize? viewport = null)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? Desktop });
        var page = await context.NewPageAsync();
        var session = new DashboardSession(fixture, context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !session.IsExpected(message))
            {
                session._errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => session._errors.Enqueue($"page error: {error}");
        page.Response += (_, response) => session._bodies.Enqueue(ReadAsync(response));
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        return session;
    }

    /// <summary>Chromium logs a failed fetch as a console error; a test that provokes one on purpose says so.</summary>
    public void ExpectHttpFailure(string urlPart, int status) => _expectedFailures.Add((urlPart, status));

    public async Task OpenDashboardAsync()
    {
        await Page.GotoAsync(Url("/api/dashboard"));
        await Page.WaitForSelectorAsync("#signin:not([hidden]), #shell:not([hidden])");
    }

    public async Task SignInAsync(string secret = DashboardFixture.AdminSecret)
    {
        await OpenDashboardAsync();
        await Page.FillAsync("#signin-secret", secret);
        await Page.ClickAsync("#signin-form button[type=submit]");
        await Page.WaitForSelectorAsync("[data-page=overview][data-loaded]");
    }

    /// <summary>Navigates to a page of the dashboard and waits until its data is shown.</summary>
    public async Task GoAsync(string page)
    {
        await Page.EvaluateAsync("p => { location.hash = '#/' + p; }", page);
        await Page.WaitForSelectorAsync($"[data-page={page}][data-loaded]");
    }

    /// <summary>Screenshots whose page was wider than the viewport (only tables may scroll, inside their box).</summary>
    public List<string> Overflows { get; } = [];

    public async Task ScreenshotAsync(string name)
    {
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 0)
        {
            Overflows.Add($"{name} by {overflow}px");
        }

        var folder = RepoPaths.Combine("artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Every response body the browser received so far (text; binary bodies as read).</summary>
    public async Task<IReadOnlyList<(string Url, string Body)>> ResponsesAsync() => await Task.WhenAll(_bodies.ToArray());

    public void AssertNoErrors() => Assert.True(_errors.IsEmpty, "browser errors:\n" + string.Join("\n", _errors));

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private bool IsExpected(IConsoleMessage message)
        => message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
            && _expectedFailures.Any(f => message.Location.Contains(f.UrlPart, StringComparison.Ordinal) && message.Text.Contains($"status of {f.Status}", StringComparison.Ordinal));

    private static async Task<(string Url, string Body)> ReadAsync(IResponse response)
    {
        try
        {
            return (response.Url, await response.TextAsync());
        }
        catch (PlaywrightException)
        {
            // Redirects and aborted responses have no body.
            return (response.Url, string.Empty);
        }
    }
}
