using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Xunit;

namespace Gateway.Testing;

/// <summary>
/// Checks an app against the Azure Functions custom-handler contract: its <c>function.json</c>
/// files, and that the functions they declare cover exactly the endpoints the app serves.
/// </summary>
public static class FunctionAppContract
{
    /// <summary>Binding types of the Functions extension bundle 4.x that this project may use.</summary>
    public static readonly IReadOnlySet<string> DocumentedBindingTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "httpTrigger", "http", "timerTrigger", "queueTrigger", "queue", "serviceBusTrigger", "serviceBus", "blobTrigger", "blob",
    };

    private static readonly HashSet<string> TriggerTypes = ["httpTrigger", "timerTrigger", "queueTrigger", "serviceBusTrigger", "blobTrigger"];
    private static readonly HashSet<string> HttpMethodNames = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

    /// <summary>A function folder: its name, trigger type, and for HTTP its route and methods.</summary>
    public sealed record FunctionDefinition(string Name, string TriggerType, string? Route, IReadOnlyList<string> Methods, JsonObject Trigger);

    /// <summary>Reads and validates every <c>*/function.json</c> of the app folder (e.g. <c>Gateway.Functions</c>).</summary>
    public static IReadOnlyList<FunctionDefinition> LoadFunctions(string appFolder)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var dir in Directory.GetDirectories(RepoPaths.Combine(appFolder)))
        {
            var file = Path.Combine(dir, "function.json");
            if (!File.Exists(file))
            {
                continue;
            }

            var name = Path.GetFileName(dir);
            Assert.Matches("^[A-Za-z][A-Za-z0-9_-]{0,127}$", name);
            Assert.True(Directory.GetFiles(dir).Length == 1 && Directory.GetDirectories(dir).Length == 0, $"{name}/ must hold only function.json");

            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var bindings = root["bindings"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"{name}/function.json has no bindings");
            foreach (var binding in bindings.Select(b => b!.AsObject()))
            {
                var type = (string?)binding["type"];
                Assert.True(type is not null && DocumentedBindingTypes.Contains(type), $"{name}: binding type '{type}' is not a documented type");
                Assert.Contains((string?)binding["direction"], new[] { "in", "out", "inout" });
                Assert.False(string.IsNullOrEmpty((string?)binding["name"]), $"{name}: a binding without a name");
            }

            var triggers = bindings.Select(b => b!.AsObject()).Where(b => TriggerTypes.Contains((string)b["type"]!)).ToList();
            Assert.True(triggers.Count == 1, $"{name}: exactly one trigger binding expected, found {triggers.Count}");
            var trigger = triggers[0];
            Assert.Equal("in", (string?)trigger["direction"]);
            var triggerType = (string)trigger["type"]!;
            string? route = null;
            List<string> methods = [];
            switch (triggerType)
            {
                case "httpTrigger":
                    route = (string?)trigger["route"];
                    Assert.False(string.IsNullOrWhiteSpace(route), $"{name}: an HTTP trigger needs a route");
                    Assert.Contains((string?)trigger["authLevel"], new[] { "anonymous", "function", "admin" });
                    methods = [.. trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant())];
                    Assert.All(methods, m => Assert.Contains(m, HttpMethodNames));
                    Assert.Contains(bindings, b => (string?)b!["type"] == "http" && (string?)b["direction"] == "out");
                    _ = TemplateParser.Parse(route!);
                    break;
                case "timerTrigger":
                    Assert.False(string.IsNullOrWhiteSpace((string?)trigger["schedule"]), $"{name}: a timer needs a schedule");
                    break;
                case "queueTrigger":
                    Assert.False(string.IsNullOrWhiteSpace((string?)trigger["queueName"]), $"{name}: a queue trigger needs queueName");
                    break;
                case "serviceBusTrigger":
                    Assert.False(string.IsNullOrWhiteSpace((string?)trigger["queueName"]) && string.IsNullOrWhiteSpace((string?)trigger["topicName"]), $"{name}: a Service Bus trigger needs a queue or topic");
                    break;
                default:
                    break;
            }

            functions.Add(new FunctionDefinition(name, triggerType, route, methods, trigger));
        }

        return functions;
    }

    /// <summary>
    /// Every endpoint the app maps is reachable through a function: an HTTP endpoint through an
    /// HTTP function whose route (behind host.json's <c>api</c> prefix) and methods match it, a
    /// <c>POST /{name}</c> invocation endpoint through a non-HTTP function of that name. And every
    /// function reaches an endpoint.
    /// </summary>
    public static void AssertCoversEndpoints(string appFolder, IServiceProvider services)
    {
        var functions = LoadFunctions(appFolder);
        var endpoints = ((EndpointDataSource)services.GetService(typeof(EndpointDataSource))!).Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var routePrefix = HostRoutePrefix();
        var matchedFunctions = new HashSet<string>();

        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => m.ToLowerInvariant()).ToList() ?? [.. HttpMethodNames];
            var samplePath = SamplePath(endpoint.RoutePattern);

            var invocation = functions.FirstOrDefault(f => f.TriggerType != "httpTrigger" && samplePath == "/" + f.Name);
            if (invocation is not null)
            {
                Assert.Equal(["post"], methods);
                matchedFunctions.Add(invocation.Name);
                continue;
            }

            var http = functions.Where(f => f.TriggerType == "httpTrigger" && RouteMatches(routePrefix + "/" + f.Route, samplePath)).ToList();
            Assert.True(http.Count > 0, $"{appFolder}: endpoint '{pattern}' ({string.Join(",", methods)}) is not declared by any function.json");
            foreach (var method in methods)
            {
                Assert.True(http.Any(f => f.Methods.Contains(method)), $"{appFolder}: endpoint '{pattern}' answers {method.ToUpperInvariant()} but no function declares that method for it");
            }

            matchedFunctions.UnionWith(http.Select(f => f.Name));
        }

        var unused = functions.Select(f => f.Name).Except(matchedFunctions).ToList();
        Assert.True(unused.Count == 0, $"{appFolder}: functions with no endpoint behind them: {string.Join(", ", unused)}");
    }

    public static string HostRoutePrefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("host.json")))!;
        var prefix = (string?)host["extensions"]?["http"]?["routePrefix"] ?? "api";
        return prefix.Length == 0 ? string.Empty : "/" + prefix.Trim('/');
    }

    private static string SamplePath(RoutePattern pattern)
    {
        var parts = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = string.Concat(segment.Parts.Select(p => p switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { IsCatchAll: true } => "sample/rest",
                RoutePatternParameterPart => "sample",
                RoutePatternSeparatorPart separator => separator.Content,
                _ => string.Empty,
            }));
            parts.Add(text);
        }

        return "/" + string.Join('/', parts);
    }

    private static bool RouteMatches(string template, string path)
    {
        var matcher = new TemplateMatcher(TemplateParser.Parse(template.TrimStart('/')), new RouteValueDictionary());
        return matcher.TryMatch(new PathString(path), new RouteValueDictionary());
    }

    public static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
}
