using Gateway.Domain.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Domain.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the app's one <see cref="NpgsqlDataSource"/> on <c>ConnectionStrings__Postgres</c> and
    /// <see cref="GatewayDbContext"/> (pooled) on it, so EF Core and raw SQL share one connection pool.
    /// </summary>
    public static IServiceCollection AddGatewayPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Postgres") ?? o.ConnectionString)
            .ValidateOnStart();
        services.AddSettingsValidator(DatabaseOptions.Section, new DatabaseOptionsValidator(), new Dictionary<string, string> { ["ConnectionString"] = "ConnectionStrings__Postgres" });

        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.AddDbContextPool<GatewayDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
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
