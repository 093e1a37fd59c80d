using Gateway.Admin.Functions.Analytics;
using Gateway.Admin.Functions.ApiDocs;
using Gateway.Admin.Functions.CustomProviders;
using Gateway.Admin.Functions.Dashboard;
using Gateway.Admin.Functions.EndUsers;
using Gateway.Admin.Functions.FailoverRoutes;
using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.ProviderSettings;
using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Gateway.Domain.Telemetry;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Admin", defaultPort: 8001);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddAdminHttp();
builder.AddManagementApi();
builder.AddApiDocs();
builder.AddDashboard();
builder.AddGatewayTelemetry("Admin");

var app = builder.Build();

// `handler migrate` applies the database migrations and exits: the run command and deployments use it.
if (args is ["migrate", ..])
{
    await MigrationRunner.MigrateAsync(app.Services, CancellationToken.None);
    return;
}

app.UseAdminAuth();
app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapKeyManagement();
app.MapProviderSettings();
app.MapCustomProviders();
app.MapFailoverRoutes();
app.MapEndUsers();
app.MapAnalytics();
app.MapApiDocs();
app.MapDashboard();
app.Run();

public partial class Program;
