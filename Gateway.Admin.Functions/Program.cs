using Gateway.Admin.Functions.Analytics;
using Gateway.Admin.Functions.Http;
using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Admin", defaultPort: 8001);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddAdminHttp();

var app = builder.Build();

// `handler migrate` applies the database migrations and exits: the run command and deployments use it.
if (args is ["migrate", ..])
{
    await MigrationRunner.MigrateAsync(app.Services, CancellationToken.None);
    return;
}

app.UseAdminAuth();
app.MapGatewayHealth();
app.MapAnalytics();
app.Run();

public partial class Program;
