using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gateway.Testing;

/// <summary>
/// Checks an app against the Azure Functions isolated-worker contract: the <c>functions.metadata</c>
/// the Worker SDK generated into the app's build output from its <c>[Function]</c> classes, against
/// what local mode serves (the endpoints of <see cref="GatewayHttpApp"/> and the
/// <see cref="LocalTrigger"/> stand-ins), both ways.
/// </summary>
public static class FunctionAppContract
{
    private static readonly HashSet<string> TriggerTypes = ["httpTrigger", "timerTrigger", "queueTrigger", "serviceBusTrigger", "blobTrigger"];
    private static readonly HashSet<string> HttpMethodNames = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

    /// <summary>A function: its name, trigger type, and for HTTP its route and methods.</summary>
    public sealed record FunctionDefinition(string Name, string TriggerType, string? Route, IReadOnlyList<string> Methods, JsonObject Trigger);

    /// <summary>The app's build output folder (same configuration as the running tests), e.g. <c>Gateway.Functions/bin/Debug/net10.0</c>.</summary>
    public static string BuildOutput(string appFolder)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        return RepoPaths.Combine(appFolder, "bin", configuration, framework);
    }

    /// <summary>Reads and validates the app's generated <c>functions.metadata</c>.</summary>
    public static IReadOnlyList<FunctionDefinition> LoadFunctions(string appFolder)
    {
        var file = Path.Combine(BuildOutput(appFolder), "functions.metadata");
        Assert.True(File.Exists(file), $"{file} is missing: build {appFolder} (the Worker SDK generates it from the [Function] classes)");
        var functions = new List<FunctionDefinition>();
        foreach (var function in JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(f => f!.AsObject()))
        {
            var name = (string)function["name"]!;
            Assert.Matches("^[A-Za-z][A-Za-z0-9_-]{0,127}$", name);
            Assert.Equal("dotnet-isolated", (string?)function["language"]);
            Assert.Equal(appFolder + ".dll", (string?)function["scriptFile"]);
            var bindings = function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            var triggers = bindings.Where(b => TriggerTypes.Contains((string)b["type"]!)).ToList();
            Assert.True(triggers.Count == 1, $"{name}: exactly one trigger binding expected, found {triggers.Count}");
            var trigger = triggers[0];
            Assert.Equal("in", ((string?)trigger["direction"])?.ToLowerInvariant());
            var triggerType = (string)trigger["type"]!;
            string? route = null;
            List<string> methods = [];
            if (triggerType == "httpTrigger")
            {
                route = (string?)trigger["route"];
                Assert.False(string.IsNullOrWhiteSpace(route), $"{name}: an HTTP function needs an explicit Route (its name would become its path)");
                Assert.Equal("anonymous", ((string?)trigger["authLevel"])?.ToLowerInvariant());
                methods = [.. trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant())];
                Assert.All(methods, m => Assert.Contains(m, HttpMethodNames));
                _ = TemplateParser.Parse(route!);
            }

            functions.Add(new FunctionDefinition(name, triggerType, route, methods, trigger));
        }

        return functions;
    }

    /// <summary>
    /// Both ways: every HTTP endpoint local mode maps is reachable through an HTTP function whose
    /// route (behind host.json's <c>api</c> prefix) and methods match it, and every HTTP function
    /// reaches an endpoint; the non-HTTP functions are exactly the <see cref="LocalTrigger"/>s, with
    /// the same trigger types and settings. A failure names the missing side and what to add.
    /// </summary>
    public static void AssertCoversEndpoints(string appFolder, IServiceProvider services)
    {
        var functions = LoadFunctions(appFolder);
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var routePrefix = HostRoutePrefix();
        var problems = new List<string>();
        var matchedFunctions = new HashSet<string>();

        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => m.ToLowerInvariant()).ToList() ?? [.. HttpMethodNames];
            var samplePath = SamplePath(endpoint.RoutePattern);
            var http = functions.Where(f => f.TriggerType == "httpTrigger" && RouteMatches(routePrefix + "/" + f.Route, samplePath)).ToList();
            if (http.Count == 0)
            {
                problems.Add($"local mode serves '{pattern}' ({string.Join(",", methods).ToUpperInvariant()}) but no function in functions.metadata routes to it: add a [Function] with [HttpTrigger(AuthorizationLevel.Anonymous, ..., Route = \"...\")] in {appFolder}/Functions/");
                continue;
            }

            foreach (var method in methods.Where(m => !http.Any(f => f.Methods.Contains(m))))
            {
                problems.Add($"local mode answers {method.ToUpperInvariant()} on '{pattern}' but no function declares that method for it (functions: {string.Join(", ", http.Select(f => f.Name))})");
            }

            matchedFunctions.UnionWith(http.Select(f => f.Name));
        }

        foreach (var function in functions.Where(f => f.TriggerType == "httpTrigger" && !matchedFunctions.Contains(f.Name)))
        {
            problems.Add($"function '{function.Name}' (route '{function.Route}') has no endpoint behind it in local mode: map one in Program.cs, or remove the function");
        }

        var local = services.GetServices<LocalTrigger>().ToDictionary(t => t.Function);
        foreach (var function in functions.Where(f => f.TriggerType != "httpTrigger"))
        {
            if (!local.Remove(function.Name, out var stand))
            {
                problems.Add($"function '{function.Name}' ({function.TriggerType}) has no local-mode stand-in: register a LocalTrigger and a hosted service calling the same handler");
                continue;
            }

            if (stand.TriggerType != function.TriggerType)
            {
                problems.Add($"function '{function.Name}' is a {function.TriggerType} but local mode stands in for a {stand.TriggerType}");
            }

            foreach (var (property, value) in stand.Settings)
            {
                var declared = (string?)function.Trigger[property];
                if (declared != value)
                {
                    problems.Add($"function '{function.Name}': {property} is '{declared}' in functions.metadata but '{value}' in local mode");
                }
            }
        }

        problems.AddRange(local.Keys.Select(name => $"local mode stands in for a function '{name}' that functions.metadata lacks: add its [Function] in {appFolder}/Functions/"));
        Assert.True(problems.Count == 0, $"{appFolder}: functions.metadata and local mode disagree:\n  " + string.Join("\n  ", problems));
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
