using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.Dashboard;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(SessionResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
