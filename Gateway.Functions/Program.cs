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

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Proxy", defaultPort: 8002);
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

var app = builder.Build();
app.UseCors();
app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapProxy();
app.MapOneApiModels();
app.MapRoutesAndCustomProviders();
app.Run();

public partial class Program;
