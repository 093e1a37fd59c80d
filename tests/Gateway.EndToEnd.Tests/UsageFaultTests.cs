extern alias ingest;
extern alias proxy;

using System.Diagnostics;
using System.Net;
using Gateway.Testing;

namespace Gateway.EndToEnd.Tests;

/// <summary>
/// The usage pipeline under faults, end to end through the proxy (issue 10): Storage down, ingest
/// killed with SIGKILL, the proxy stopped with SIGTERM under load. Every request answered 200 is a
/// bill: exactly one event in PostgreSQL, and the key's spend is the sum of their costs.
/// </summary>
public sealed class UsageFaultTests
{
    [Fact]
    public async Task ThreeThousandRequestsWithStorageDownAndIngestKilledTwice_ExactlyOneEventEachAndSpendIsTheirSum()
    {
        const int N = 3000;
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var stack = await UsageStack.StartAsync(azurite.ConnectionString);
        var ingestProcess = await GatewayProcess.StartAsync("Gateway.Ingest.Functions", "Ingest", stack.IngestSettings());
        stack.Own(ingestProcess);
        var proxyApp = await GatewayApps.StartAsync<proxy::Program>(stack.ProxySettings());
        stack.Own(proxyApp);
        using var client = UsageStack.ProxyClient(proxyApp.BaseAddress, stack.RawKey);
        await stack.WaitForKeyAsync(client);

        // ~200 requests a second for 15 s; meanwhile Storage goes down for 10 s and ingest is killed twice.
        var load = SendAsync(client, N, perSecond: 200, "fault");
        var faults = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await azurite.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await ingestProcess.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await ingestProcess.StartAgainAsync();
            await Task.Delay(TimeSpan.FromSeconds(7));
            await azurite.StartAgainAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await ingestProcess.KillAsync();
            await ingestProcess.StartAgainAsync();
        });
        var answers = await load;
        await faults;

        var ok = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.Equal(N, ok);
        await Eventually.AssertAsync(() => stack.EventsAsync("fault-").Result.Rows >= N && stack.LedgerAsync().Result is { } l && l.Applied == l.Events, TimeSpan.FromMinutes(4), "every event is stored and charged");
        await Task.Delay(TimeSpan.FromSeconds(5)); // anything late (a redelivery) would show now
        Assert.Equal((N, N), await stack.EventsAsync("fault-"));
        var (events, applied, nano) = await stack.LedgerAsync();
        Assert.Equal(events, applied);
        Assert.Equal(nano, await stack.KeySpendCounterAsync());
    }

    [Fact]
    public async Task ProxyStoppedWithSigtermUnder300RequestsPerSecond_EveryAnswered200HasItsEvent()
    {
        await using var stack = await UsageStack.StartAsync(TestEnvironment.StorageConnectionString);
        var ingestApp = await GatewayApps.StartAsync<ingest::Program>(stack.IngestSettings());
        stack.Own(ingestApp);
        var proxyProcess = await GatewayProcess.StartAsync("Gateway.Functions", "Proxy", stack.ProxySettings());
        stack.Own(proxyProcess);
        using var client = UsageStack.ProxyClient(proxyProcess.BaseAddress, stack.RawKey);
        await stack.WaitForKeyAsync(client);

        var load = SendAsync(client, 300 * 6, perSecond: 300, "sigterm");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var exit = await proxyProcess.TerminateAsync(TimeSpan.FromSeconds(60));
        var answers = await load;

        var answered = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.CustomId).ToList();
        Assert.True(answered.Count > 300, $"the proxy answered {answered.Count} requests before it stopped");
        Assert.True(exit < TimeSpan.FromSeconds(60), $"the proxy exited within its grace ({exit})");
        await Eventually.AssertAsync(() => answered.All(stack.CustomIdsAsync().Result.Contains), TimeSpan.FromMinutes(2), "every request answered 200 has its event");
        var stored = await stack.CustomIdsAsync();
        var missing = answered.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} requests answered 200 have no event");
    }

    private sealed record Answer(string CustomId, HttpStatusCode? Status);

    // Requests at a steady rate, each with its own X-CUSTOM-EVENT-ID; a connection error is an answer without a status.
    private static async Task<List<Answer>> SendAsync(HttpClient client, int count, int perSecond, string prefix)
    {
        var watch = Stopwatch.StartNew();
        var pending = new List<Task<Answer>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            var id = $"{prefix}-{i}";
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await client.PostAsync("/api/providers/openai/v1/chat/completions", UsageStack.Chat(id));
                    await response.Content.ReadAsByteArrayAsync();
                    return new Answer(id, response.StatusCode);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    return new Answer(id, null);
                }
            }));
        }

        return [.. await Task.WhenAll(pending)];
    }
}
