using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gateway.Domain.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting an app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? "Host=127.0.0.1;Port=5432;Username=gateway;Password=gateway;Database=gateway";
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseNpgsql(connectionString).Options;
        return new GatewayDbContext(options);
    }
}
