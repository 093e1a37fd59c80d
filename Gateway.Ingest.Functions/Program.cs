using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Gateway.Ingest.Functions.ConfigRefresh;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Ingest", defaultPort: 8003);
builder.Services.AddGatewayPersistence(builder.Configuration);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigCacheWriter();
builder.AddConfigRefresh();

var app = builder.Build();
app.MapGatewayHealth();
app.MapConfigRefresh();
app.Run();

public partial class Program;
