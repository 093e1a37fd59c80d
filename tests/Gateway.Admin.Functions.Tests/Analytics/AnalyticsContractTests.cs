using System.Text.Json.Nodes;
using Gateway.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>The analytics endpoints are declared to the Functions host and described in the OpenAPI document.</summary>
public sealed class AnalyticsContractTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "get", "/api/events" },
        { "post", "/api/v2/events" },
        { "post", "/api/reporting/events" },
        { "post", "/api/reporting/events-by-day" },
        { "post", "/api/reporting/top-keys" },
        { "get", "/api/reporting/keys/some-key-id" },
        { "get", "/api/reporting/custom-ids" },
        { "get", "/api/reporting/user-ids" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void FunctionsMetadata_AnalyticsEndpoint_DeclaredWithItsMethod(string method, string path)
    {
        var prefix = FunctionAppContract.HostRoutePrefix();
        var matching = FunctionAppContract.LoadFunctions("Gateway.Admin.Functions")
            .Where(f => f.TriggerType == "httpTrigger" && f.Methods.Contains(method))
            .Where(f => new TemplateMatcher(TemplateParser.Parse((prefix + "/" + f.Route).TrimStart('/')), new RouteValueDictionary())
                .TryMatch(path, new RouteValueDictionary()))
            .Select(f => f.Name)
            .ToList();
        Assert.True(matching.Count == 1, $"{method.ToUpperInvariant()} {path}: expected one function, found [{string.Join(", ", matching)}]");
        Assert.Equal("anonymous", ((string?)FunctionAppContract.LoadFunctions("Gateway.Admin.Functions").Single(f => f.Name == matching[0]).Trigger["authLevel"])?.ToLowerInvariant());
    }

    [Theory]
    [InlineData("/api/v2/events", "EventSearchRequest")]
    [InlineData("/api/reporting/events", "ReportingRequest")]
    [InlineData("/api/reporting/events-by-day", "ReportingRequest")]
    [InlineData("/api/reporting/top-keys", "TopKeysRequest")]
    public async Task OpenApi_PostEndpoint_DocumentsItsJsonBody(string path, string schema)
    {
        var document = await fx.GetForJsonAsync("/api/openapi.json");
        var body = document["paths"]?[path]?["post"]?["requestBody"];
        Assert.NotNull(body);
        var reference = (string?)body["content"]?["application/json"]?["schema"]?["$ref"];
        Assert.Equal("#/components/schemas/" + schema, reference);
        Assert.NotNull(document["components"]?["schemas"]?[schema]?["properties"]?["start"]);
    }

    [Fact]
    public async Task OpenApi_EventEndpoints_DocumentTheEventShape()
    {
        var document = await fx.GetForJsonAsync("/api/openapi.json");
        var properties = document["components"]?["schemas"]?["EventBody"]?["properties"]?.AsObject();
        Assert.NotNull(properties);
        Assert.Contains("cost_in_usd", properties.Select(p => p.Key));
        Assert.Contains("correlationId", properties.Select(p => p.Key));
        Assert.NotNull(document["paths"]?["/api/events"]?["get"]);
    }
}
