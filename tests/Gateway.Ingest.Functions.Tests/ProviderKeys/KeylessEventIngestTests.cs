using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Spend;
using Gateway.Ingest.Functions.Tests.Usage;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Ingest.Functions.Tests.ProviderKeys;

/// <summary>
/// An event of a caller's own provider key (<c>Proxy__AllowProviderKeys</c>) has an empty key id: it is
/// stored and priced like any other, and charged to no key (no spend counter, no running total), while
/// a keyed event in the same batch is charged as usual.
/// </summary>
public sealed class KeylessEventIngestTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private GatewayAppFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _app = await _host.StartAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Ingest_EventWithoutKey_StoredAndPricedChargedToNoKey()
    {
        var keyless = IngestHost.ChatEvent(string.Empty);
        keyless.Tags = [];
        keyless.Path = "/api/v1/chat/completions";
        var keyed = IngestHost.ChatEvent("key-beside-keyless");

        var result = await _app.Services.GetRequiredService<UsageIngestor>().IngestAsync(IngestHost.Batch(keyless, keyed), CancellationToken.None);

        Assert.All(result.Events, e => Assert.Equal(UsageIngestOutcome.Ingested, e.Outcome));
        var row = (await _host.EventRowAsync(keyless.EventId))!;
        Assert.Equal(string.Empty, row["key_id"]);
        Assert.Equal(0.0075m, (decimal)row["cost_in_usd"]!);
        Assert.Equal(1000, row["prompt_token_count"]);
        Assert.Equal(true, row["spend_applied"]);

        Assert.Equal(0, await _host.KeyTotalAsync(string.Empty));
        var now = DateTimeOffset.UtcNow;
        foreach (var unit in new[] { LimitUnit.Minute, LimitUnit.Hour, LimitUnit.Day, LimitUnit.Month })
        {
            Assert.Equal(0, await _host.CounterAsync(SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, string.Empty, unit, unit.Window(now).Start)));
        }

        Assert.Equal(0, await SpendTotalRowsAsync(string.Empty));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-beside-keyless"));
        Assert.True(await SpendTotalRowsAsync("key-beside-keyless") > 0);
    }

    private async Task<long> SpendTotalRowsAsync(string ownerId)
    {
        await using var connection = new NpgsqlConnection(_host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM spend_totals WHERE owner_id = $1", connection);
        command.Parameters.AddWithValue(ownerId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
