using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Redis;
using Gateway.Functions;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;
using Gateway.Functions.Routing;
using Gateway.Functions.Usage;

// Under the Functions host an isolated worker, otherwise local mode on :8002 (Gateway.Domain/Hosting).
var builder = GatewayApp.CreateBuilder(args, "Proxy", defaultPort: 8002);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigSnapshot(builder.Configuration);
builder.AddGatewayForwarding();
builder.AddProviderAdapters();
builder.AddUsagePublishing();
builder.AddProxyPipeline();
builder.AddGatewayRouting();
builder.AddProxyCors();

using var app = builder.BuildGatewayApp(
    static http => http.UseCors(),
    static endpoints => endpoints
        .MapGatewayHealth()
        .MapProxy()
        .MapRoutesAndCustomProviders());
app.Run();

public partial class Program;
