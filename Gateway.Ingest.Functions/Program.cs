using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Gateway.Domain.Telemetry;
using Gateway.Ingest.Functions.ConfigRefresh;
using Gateway.Ingest.Functions.Usage;

// Under the Functions host an isolated worker, otherwise local mode on :8003 (Gateway.Domain/Hosting).
var builder = GatewayApp.CreateBuilder(args, "Ingest", defaultPort: 8003);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddConfigRefresh();
builder.AddUsageIngest();
builder.AddGatewayTelemetry("Ingest");

using var app = builder.BuildGatewayApp(
    static _ => { },
    static endpoints =>
    {
        endpoints.MapGatewayHealth();
        endpoints.MapGatewayMetrics();
    });
app.Run();

public partial class Program;
