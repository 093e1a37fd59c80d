using Gateway.Domain.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Domain.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the app's one <see cref="NpgsqlDataSource"/> (one connection pool) on
    /// <c>ConnectionStrings__Postgres</c>, and <see cref="GatewayDbContext"/> (pooled) over it: raw SQL
    /// takes the data source from DI, so EF Core and raw SQL share the pool.
    /// </summary>
    public static IServiceCollection AddGatewayPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Postgres") ?? o.ConnectionString)
            .ValidateOnStart();
        services.AddSettingsValidator(DatabaseOptions.Section, new DatabaseOptionsValidator(), new Dictionary<string, string> { ["ConnectionString"] = "ConnectionStrings__Postgres" });

        // The connection string is read when the data source is first resolved, not now, so that
        // settings a host adds after registration (tests, the Functions host) are seen.
        services.AddNpgsqlDataSource(string.Empty, static (sp, dataSource) =>
            dataSource.ConnectionStringBuilder.ConnectionString = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
        services.AddDbContextPool<GatewayDbContext>(static (sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddHostedService<StartupMigrationService>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
        return services;
    }
}

/// <summary>Applies migrations before the app serves when <c>Database__ApplyMigrationsAtStartup</c> is true.</summary>
internal sealed class StartupMigrationService(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => options.Value.ApplyMigrationsAtStartup ? MigrationRunner.MigrateAsync(services, cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
