using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Redis;

var builder = WebApplication.CreateSlimBuilder(args);
builder.ConfigureGatewayHost("Proxy", defaultPort: 8002);
builder.Services.AddGatewayRedis(builder.Configuration);
builder.Services.AddGatewayConfigSnapshot(builder.Configuration);

var app = builder.Build();
app.MapGatewayHealth();
app.Run();

public partial class Program;
