using Gateway.Domain.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="GatewayDbContext"/> (pooled) on <c>ConnectionStrings__Postgres</c>.</summary>
    public static IServiceCollection AddGatewayPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Postgres") ?? o.ConnectionString)
            .ValidateOnStart();
        services.AddSettingsValidator(DatabaseOptions.Section, new DatabaseOptionsValidator(), new Dictionary<string, string> { ["ConnectionString"] = "ConnectionStrings__Postgres" });

        services.AddDbContextPool<GatewayDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
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
