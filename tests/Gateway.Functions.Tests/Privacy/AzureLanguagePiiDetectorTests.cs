using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Privacy;
using Gateway.Domain.Privacy.Azure;
using Gateway.Testing.AzureLanguage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Privacy;

/// <summary>The Azure AI Language REST detector against a fake that enforces the documented shape and limits.</summary>
public sealed class AzureLanguagePiiDetectorTests : IAsyncLifetime
{
    private FakeAzureLanguageServer _language = null!;

    public async Task InitializeAsync()
    {
        _language = await FakeAzureLanguageServer.StartAsync();
        _language.Persons.Add("Jane Doe");
        _language.Addresses.Add("1 Main St, Springfield");
    }

    public async Task DisposeAsync() => await _language.DisposeAsync();

    [Fact]
    public async Task Detect_NamesAndAddresses_Utf16OffsetsAndDocumentedRequest()
    {
        var detector = Detector();
        const string text = "😀 Jane Doe lives at 1 Main St, Springfield.";

        var found = await detector.DetectAsync([text, "nobody here"], [PiiEntity.Name, PiiEntity.Address], CancellationToken.None);

        Assert.Equal([("Jane Doe", PiiEntity.Name), ("1 Main St, Springfield", PiiEntity.Address)], found[0].Select(m => (text.Substring(m.Start, m.Length), m.Entity)));
        Assert.Empty(found[1]);
        var request = Assert.Single(_language.Requests);
        Assert.Equal("PiiEntityRecognition", (string?)request["kind"]);
        Assert.Equal("Utf16CodeUnit", (string?)request["parameters"]!["stringIndexType"]);
        Assert.Equal(["Person", "Address"], request["parameters"]!["piiCategories"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["0", "1"], request["analysisInput"]!["documents"]!.AsArray().Select(d => (string)d!["id"]!));
        Assert.Empty(_language.Refusals);
    }

    [Fact]
    public async Task Detect_ManyAndLongTexts_BatchedWithinDocumentLimits_OffsetsMappedBack()
    {
        var texts = Enumerable.Range(0, 11).Select(i => $"note {i} from Jane Doe").ToList();
        var longText = new StringBuilder().Insert(0, "lorem ipsum ", 1000).Append("signed Jane Doe").ToString();
        texts.Add(longText);

        var found = await Detector().DetectAsync(texts, [PiiEntity.Name], CancellationToken.None);

        Assert.Empty(_language.Refusals);
        Assert.All(_language.Requests, r => Assert.InRange(r["analysisInput"]!["documents"]!.AsArray().Count, 1, FakeAzureLanguageServer.MaxDocuments));
        Assert.All(_language.Requests.SelectMany(r => r["analysisInput"]!["documents"]!.AsArray()), d => Assert.InRange(((string)d!["text"]!).Length, 1, FakeAzureLanguageServer.MaxTextElements));
        Assert.True(_language.Requests.Count >= 3);
        for (var i = 0; i < 11; i++)
        {
            var match = Assert.Single(found[i]);
            Assert.Equal("Jane Doe", texts[i].Substring(match.Start, match.Length));
        }

        var inLong = Assert.Single(found[11]);
        Assert.Equal("Jane Doe", longText.Substring(inLong.Start, inLong.Length));
    }

    [Fact]
    public async Task Fake_EnforcesDocumentedLimits()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add(AzureLanguagePiiDetector.KeyHeader, _language.Key);
        var tooMany = new JsonObject
        {
            ["kind"] = "PiiEntityRecognition",
            ["analysisInput"] = new JsonObject { ["documents"] = new JsonArray([.. Enumerable.Range(0, 6).Select(i => (JsonNode)new JsonObject { ["id"] = $"{i}", ["text"] = "x" })]) },
        };

        using var batch = await http.PostAsync(new Uri(_language.Endpoint, $"language/:analyze-text?api-version={FakeAzureLanguageServer.ApiVersion}"), new StringContent(tooMany.ToJsonString(), Encoding.UTF8, "application/json"));
        using var noKey = await new HttpClient().PostAsync(new Uri(_language.Endpoint, $"language/:analyze-text?api-version={FakeAzureLanguageServer.ApiVersion}"), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.Equal("InvalidDocumentBatch", (string?)JsonNode.Parse(await batch.Content.ReadAsStringAsync())!["error"]!["innererror"]!["code"]);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    [Fact]
    public async Task Detect_WrongKey_DetectorException()
    {
        var detector = Detector(key: "wrong");

        var error = await Assert.ThrowsAsync<PiiDetectorException>(() => detector.DetectAsync(["Jane Doe"], [PiiEntity.Name], CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_Timeout_FailOpenKeepsLocalFindings_FailClosedRefuses()
    {
        _language.Delay = TimeSpan.FromSeconds(10);
        var scanner = new PiiScanner(Detector(timeout: TimeSpan.FromMilliseconds(300)), NullLogger<PiiScanner>.Instance);
        var rules = new Dictionary<string, string> { [PiiEntity.Name] = PiiActions.Block, [PiiEntity.Email] = PiiActions.Redact };
        var open = PolicyCompiler.Compile(new Policy { Id = "open", Config = new PolicyConfig { Rules = rules } });
        var closed = PolicyCompiler.Compile(new Policy { Id = "closed", Config = new PolicyConfig { Rules = rules }, FailOpen = false });

        var opened = await scanner.ScanAsync(open, ["Jane Doe, jane@example.com"], CancellationToken.None);
        var refused = await scanner.ScanAsync(closed, ["Jane Doe, jane@example.com"], CancellationToken.None);

        Assert.NotNull(opened);
        Assert.True(opened.DetectorFailed);
        Assert.Equal(PiiAction.Redact, opened.Action);
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.Email] = 1 }, opened.Counts);
        Assert.Null(refused);
    }

    private AzureLanguagePiiDetector Detector(string? key = null, TimeSpan? timeout = null)
        => new(Options.Create(new PrivacyOptions
        {
            AzureLanguageEndpoint = _language.Endpoint.ToString(),
            AzureLanguageKey = key ?? _language.Key,
            DetectorTimeout = timeout ?? TimeSpan.FromSeconds(10),
        }));
}
