using Gateway.Admin.Functions.Analytics;
using Gateway.Admin.Functions.ApiDocs;
using Gateway.Admin.Functions.CustomProviders;
using Gateway.Admin.Functions.Dashboard;
using Gateway.Admin.Functions.EndUsers;
using Gateway.Admin.Functions.FailoverRoutes;
using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.Policies;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.ProviderSettings;
using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Gateway.Domain.Telemetry;

// Under the Functions host an isolated worker, otherwise local mode on :8001 (Gateway.Domain/Hosting).
var builder = GatewayApp.CreateBuilder(args, "Admin", defaultPort: 8001);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddAdminHttp();
builder.AddManagementApi();
builder.AddPolicies();
builder.AddApiDocs();
builder.AddDashboard();
builder.AddGatewayTelemetry("Admin");

using var app = builder.BuildGatewayApp(
    static http => http.UseAdminAuth(),
    static endpoints =>
    {
        endpoints.MapGatewayHealth();
        endpoints.MapGatewayMetrics();
        endpoints.MapKeyManagement();
        endpoints.MapProviderSettings();
        endpoints.MapCustomProviders();
        endpoints.MapFailoverRoutes();
        endpoints.MapEndUsers();
        endpoints.MapPolicies();
        endpoints.MapAnalytics();
        endpoints.MapApiDocs();
        endpoints.MapDashboard();
    });

// `Gateway.Admin.Functions migrate` applies the database migrations and exits: the run command and deployments use it.
if (args is ["migrate", ..])
{
    await MigrationRunner.MigrateAsync(app.Services, CancellationToken.None);
    return;
}

app.Run();

public partial class Program;
