using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing.AzureLanguage;

/// <summary>
/// A fake Azure AI Language resource on 127.0.0.1:0 that answers synchronous
/// <c>POST /language/:analyze-text</c> PII entity recognition as documented (api-version
/// 2023-04-01): key in <c>Ocp-Apim-Subscription-Key</c>, at most 5 documents per request (else
/// 400 <c>InvalidDocumentBatch</c>), at most 5,120 text elements per document (else a per-document
/// <c>InvalidDocument</c> error), 1 MB per request, unique non-empty ids, offsets in
/// <c>stringIndexType</c> units (default <c>TextElements_v8</c>). It "recognises" the person names
/// and addresses it is told (<see cref="Persons"/>, <see cref="Addresses"/>).
/// </summary>
public sealed class FakeAzureLanguageServer : IAsyncDisposable
{
    public const string ApiVersion = "2023-04-01";
    public const int MaxDocuments = 5;
    public const int MaxTextElements = 5120;
    public const int MaxRequestBytes = 1024 * 1024;

    private readonly WebApplication _app;

    private FakeAzureLanguageServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public string Key { get; } = "fake-language-key-" + Guid.NewGuid().ToString("n")[..8];

    public List<string> Persons { get; } = [];

    public List<string> Addresses { get; } = [];

    /// <summary>Added before every answer (a slow service, for timeouts).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every accepted request body, in order.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    /// <summary>Requests refused by a documented limit or shape rule, with the error code.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public static async Task<FakeAzureLanguageServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(static k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAzureLanguageServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new FakeAzureLanguageServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || request.Path.Value != "/language/:analyze-text")
        {
            await ErrorAsync(context, 404, "404", "Resource not found");
            return;
        }

        if (request.Headers["Ocp-Apim-Subscription-Key"] != Key)
        {
            await ErrorAsync(context, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint.");
            return;
        }

        if (request.Query["api-version"] != ApiVersion)
        {
            await ErrorAsync(context, 404, "UnsupportedApiVersion", "The requested API version is not supported.");
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > MaxRequestBytes)
        {
            await ErrorAsync(context, 413, "RequestTooLarge", "Request payload is too large: the limit is 1 MB.");
            return;
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body.ToArray()) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is null || (string?)root["kind"] != "PiiEntityRecognition" || root["analysisInput"]?["documents"] is not JsonArray documents)
        {
            await ErrorAsync(context, 400, "InvalidRequest", "Invalid Request.", "InvalidRequestBodyFormat");
            return;
        }

        if (documents.Count == 0 || documents.Count > MaxDocuments)
        {
            await ErrorAsync(context, 400, "InvalidArgument", $"Batch request contains too many records. Max {MaxDocuments} records are permitted.", "InvalidDocumentBatch");
            return;
        }

        var ids = documents.Select(d => (string?)d?["id"]).ToList();
        if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            await ErrorAsync(context, 400, "InvalidArgument", "Request contains duplicated or empty document ids.", "InvalidDocument");
            return;
        }

        Requests.Enqueue(root);
        var parameters = root["parameters"] as JsonObject;
        var utf16 = (string?)parameters?["stringIndexType"] == "Utf16CodeUnit";
        var categories = (parameters?["piiCategories"] as JsonArray)?.Select(c => (string?)c).ToHashSet(StringComparer.Ordinal);
        var results = new JsonArray();
        var errors = new JsonArray();
        foreach (var document in documents)
        {
            var id = (string)document!["id"]!;
            var text = (string?)document["text"] ?? string.Empty;
            if (text.Length == 0 || new StringInfo(text).LengthInTextElements > MaxTextElements)
            {
                Refusals.Enqueue("InvalidDocument");
                errors.Add(new JsonObject
                {
                    ["id"] = id,
                    ["error"] = new JsonObject { ["code"] = "InvalidArgument", ["message"] = "Invalid document in request.", ["innererror"] = new JsonObject { ["code"] = "InvalidDocument", ["message"] = $"Document text is empty or too long. Max allowed {MaxTextElements} text elements." } },
                });
                continue;
            }

            results.Add(new JsonObject
            {
                ["id"] = id,
                ["redactedText"] = text,
                ["entities"] = Entities(text, utf16, categories),
                ["warnings"] = new JsonArray(),
            });
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject
        {
            ["kind"] = "PiiEntityRecognitionResults",
            ["results"] = new JsonObject { ["documents"] = results, ["errors"] = errors, ["modelVersion"] = "2023-09-01" },
        }.ToJsonString(), context.RequestAborted);
    }

    private JsonArray Entities(string text, bool utf16, HashSet<string?>? categories)
    {
        var entities = new JsonArray();
        foreach (var (values, category) in (ValueTuple<List<string>, string>[])[(Persons, "Person"), (Addresses, "Address")])
        {
            if (categories is not null && !categories.Contains(category))
            {
                continue;
            }

            foreach (var value in values)
            {
                for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
                {
                    // TextElements_v8 counts grapheme clusters: an emoji before the value shifts UTF-16 offsets, not these.
                    var offset = utf16 ? at : new StringInfo(text[..at]).LengthInTextElements;
                    var length = utf16 ? value.Length : new StringInfo(value).LengthInTextElements;
                    entities.Add(new JsonObject { ["text"] = value, ["category"] = category, ["offset"] = offset, ["length"] = length, ["confidenceScore"] = 0.93 });
                }
            }
        }

        return entities;
    }

    private Task ErrorAsync(HttpContext context, int status, string code, string message, string? inner = null)
    {
        Refusals.Enqueue(inner ?? code);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (inner is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = inner, ["message"] = message };
        }

        return context.Response.WriteAsync(new JsonObject { ["error"] = error }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
