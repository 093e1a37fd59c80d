extern alias ingest;
extern alias proxy;

using System.Net;
using System.Text.Json.Nodes;
using Gateway.Domain.Limits;
using Gateway.Testing;
using Npgsql;

namespace Gateway.EndToEnd.Tests.ProviderKeys;

/// <summary>
/// A caller's own provider key on the one API (<c>Proxy__AllowProviderKeys</c>), through the whole usage
/// pipeline: the proxy forwards it, its event crosses the Storage queue, and ingest stores it in
/// PostgreSQL with an empty <c>key_id</c>, the fake's usage and its cost, charged to no key.
/// </summary>
public sealed class ProviderKeyUsageTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-proj-e2e-caller-key-0001";

    private UsageStack _stack = null!;
    private HttpClient _proxy = null!;

    public async Task InitializeAsync()
    {
        _stack = await UsageStack.StartAsync(TestEnvironment.StorageConnectionString);
        var ingestSettings = _stack.IngestSettings();
        ingestSettings["UsageConsumer:PollInterval"] = "00:00:00.050";
        var ingestApp = await GatewayApps.StartAsync<ingest::Program>(ingestSettings);
        _stack.Own(ingestApp);
        var settings = _stack.ProxySettings();
        settings["Proxy:AllowProviderKeys"] = "true";
        settings["UsagePublisher:Linger"] = "00:00:00.010";
        var proxyApp = await GatewayApps.StartAsync<proxy::Program>(settings);
        _stack.Own(proxyApp);
        _proxy = UsageStack.ProxyClient(proxyApp.BaseAddress, ProviderKey);
    }

    public async Task DisposeAsync()
    {
        _proxy.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task ProviderKeyChat_EventStoredWithEmptyKeyIdTheFakesUsageAndCost_ChargedToNoKey()
    {
        using var response = await _proxy.PostAsync("/api/v1/chat/completions", UsageStack.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["usage"]!;
        var (prompt, completion) = ((int)usage["prompt_tokens"]!, (int)usage["completion_tokens"]!);
        Assert.Equal("Bearer " + ProviderKey, Assert.Single(_stack.Upstream.Requests).Header("Authorization"));

        await using var connection = new NpgsqlConnection(_stack.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT key_id, provider, model, prompt_token_count, completion_token_count, cost_in_usd FROM events WHERE path = '/api/v1/chat/completions' AND spend_applied", connection);
        var rows = ReadRows(command);
        for (var deadline = DateTime.UtcNow.AddSeconds(60); rows.Count == 0 && DateTime.UtcNow < deadline; rows = ReadRows(command))
        {
            await Task.Delay(50);
        }

        Assert.True(rows.Count > 0, "the provider-key event is not stored and applied; events: " + DumpEvents(connection));
        var row = Assert.Single(rows);
        Assert.Equal(string.Empty, row[0]);
        Assert.Equal("openai", row[1]);
        Assert.Equal("gpt-4o-mini", row[2]);
        Assert.Equal(prompt, row[3]);
        Assert.Equal(completion, row[4]);

        // gpt-4o-mini: $0.15 and $0.60 per 1M tokens.
        Assert.Equal(((prompt * 0.15m) + (completion * 0.60m)) / 1_000_000m, (decimal)row[5]);
        var redis = await _stack.Redis.GetDatabaseAsync();
        Assert.False(await redis.KeyExistsAsync(_stack.Redis.Key(SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, string.Empty))));
        Assert.Equal(0, await _stack.KeySpendCounterAsync());
    }

    private static string DumpEvents(NpgsqlConnection connection)
    {
        using var all = new NpgsqlCommand("SELECT key_id, path, spend_applied FROM events", connection);
        return string.Join("; ", ReadRows(all).Select(r => string.Join(",", r)));
    }

    private static List<object[]> ReadRows(NpgsqlCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }
}
