using Gateway.Domain.Persistence;
using Gateway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Admin.Functions.Tests.Persistence;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly PostgresDatabase _pg = new() { ApplyMigrations = false };

    public Task InitializeAsync() => _pg.InitializeAsync();

    public Task DisposeAsync() => _pg.DisposeAsync();

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesEveryTable()
    {
        await using var db = _pg.CreateDbContext();
        Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var tables = await TablesAsync();
        foreach (var table in new[] { "keys", "provider_settings", "custom_providers", "routes", "events", "users" })
        {
            Assert.Contains(table, tables);
        }
    }

    [Fact]
    public async Task Migrate_RunTwice_SecondRunChangesNothing()
    {
        await using (var db = _pg.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        var applied = await AppliedAsync();
        await using (var db = _pg.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        Assert.Equal(applied, await AppliedAsync());
    }

    [Fact]
    public async Task Model_ComparedWithMigrations_HasNoPendingChanges()
    {
        await using var db = _pg.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges(), "the EF model changed without a migration: run dotnet ef migrations add");
    }

    [Fact]
    public async Task AdminApp_MigrateCommand_AppliesMigrationsAndExits()
    {
        // What scripts/run.sh runs: the admin app with the `migrate` argument.
        var dll = Path.Combine(AppContext.BaseDirectory, "Gateway.Admin.Functions.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ConnectionStrings__Postgres"] = _pg.ConnectionString;
        start.Environment["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString;
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await output + await errors);
        Assert.Contains("keys", await TablesAsync());
        await using var db = _pg.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task AdminApp_ApplyMigrationsAtStartup_MigratesBeforeServing()
    {
        var factory = new GatewayAppFactory<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Encryption:Key"] = Support.AdminApi.NewEncryptionKey(),
            ["Database:ApplyMigrationsAtStartup"] = "true",
        });
        await using (factory)
        {
            _ = factory.BaseAddress;
        }

        Assert.Contains("keys", await TablesAsync());
        await using var db = _pg.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new NpgsqlConnection(_pg.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'public'", connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private async Task<List<string>> AppliedAsync()
    {
        await using var db = _pg.CreateDbContext();
        return [.. await db.Database.GetAppliedMigrationsAsync()];
    }
}
