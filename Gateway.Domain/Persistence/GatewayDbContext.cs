using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Usage;
using Gateway.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Domain.Persistence;

/// <summary>PostgreSQL, the source of truth. The proxy never uses it on the request path.</summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<ApiKey> Keys => Set<ApiKey>();

    public DbSet<ProviderSetting> ProviderSettings => Set<ProviderSetting>();

    public DbSet<CustomProvider> CustomProviders => Set<CustomProvider>();

    public DbSet<Route> Routes => Set<Route>();

    public DbSet<UsageEvent> Events => Set<UsageEvent>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Policy> Policies => Set<Policy>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
    }
}
