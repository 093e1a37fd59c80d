using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Redis;
using Gateway.Domain.Telemetry;
using Gateway.Functions;
using Gateway.Functions.Forwarding;
using Gateway.Functions.OneApi;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Privacy;
using Gateway.Functions.Providers;
using Gateway.Functions.Routing;
using Gateway.Functions.Telemetry;
using Gateway.Functions.Usage;

// Under the Functions host an isolated worker, otherwise local mode on :8002 (Gateway.Domain/Hosting).
var builder = GatewayApp.CreateBuilder(args, "Proxy", defaultPort: 8002);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigSnapshot(builder.Configuration);
builder.AddGatewayForwarding();
builder.AddProviderAdapters();
builder.AddOneApi();
builder.AddUsagePublishing();
builder.AddProxyPipeline();
builder.AddGatewayRouting();
builder.AddGatewayPrivacy();
builder.AddProxyCors();
builder.AddProxyTelemetry();

using var app = builder.BuildGatewayApp(
    static http => http.UseCors(),
    static endpoints =>
    {
        endpoints.MapGatewayHealth();
        endpoints.MapGatewayMetrics();
        endpoints.MapProxy();
        endpoints.MapOneApiModels();
        endpoints.MapRoutesAndCustomProviders();
    });
app.Run();

public partial class Program;
