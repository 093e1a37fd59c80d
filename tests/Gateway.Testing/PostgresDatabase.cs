using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Gateway.Testing;

/// <summary>A fresh, migrated PostgreSQL database owned by one test class; dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = TestEnvironment.UniqueName("gw_test_");

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Set to false to get an empty database (for migration tests).</summary>
    public bool ApplyMigrations { get; init; } = true;

    public async Task InitializeAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = Name, Pooling = true }.ConnectionString;
        if (ApplyMigrations)
        {
            await using var db = CreateDbContext();
            await db.Database.MigrateAsync();
        }
    }

    public GatewayDbContext CreateDbContext()
        => new(new DbContextOptionsBuilder<GatewayDbContext>().UseNpgsql(ConnectionString).Options);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
