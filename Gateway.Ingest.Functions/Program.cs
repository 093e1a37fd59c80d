using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Gateway.Domain.Telemetry;
using Gateway.Ingest.Functions.ConfigRefresh;
using Gateway.Ingest.Functions.Usage;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Ingest", defaultPort: 8003);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddConfigRefresh();
builder.AddUsageIngest();
builder.AddGatewayTelemetry("Ingest");

var app = builder.Build();
app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapConfigRefresh();
app.MapUsageIngest();
app.Run();

public partial class Program;
