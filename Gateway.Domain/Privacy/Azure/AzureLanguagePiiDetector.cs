using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Privacy.Azure;

/// <summary>
/// Azure AI Language PII entity recognition over REST (<c>POST {endpoint}/language/:analyze-text</c>,
/// kind <c>PiiEntityRecognition</c>, api-version 2023-04-01) on the Azure.Core pipeline, with the
/// resource key (<c>Ocp-Apim-Subscription-Key</c>) or a Microsoft Entra ID token. The
/// <c>Azure.AI.TextAnalytics</c> package cannot be restored here; the wire format is small.
/// </summary>
/// <remarks>
/// Offsets are asked for in UTF-16 code units (<c>stringIndexType</c>) so that they index .NET
/// strings directly. Batches go out concurrently, all within <see cref="PrivacyOptions.DetectorTimeout"/>.
/// </remarks>
public sealed class AzureLanguagePiiDetector : IPiiCloudDetector
{
    public const string ApiVersion = "2023-04-01";
    public const string EntraScope = "https://cognitiveservices.azure.com/.default";
    public const string KeyHeader = "Ocp-Apim-Subscription-Key";

    private readonly HttpPipeline? _pipeline;
    private readonly Uri? _analyzeUri;
    private readonly TimeSpan _timeout;

    public AzureLanguagePiiDetector(IOptions<PrivacyOptions> options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _timeout = settings.DetectorTimeout;
        if (string.IsNullOrWhiteSpace(settings.AzureLanguageEndpoint))
        {
            return;
        }

        if (!Uri.TryCreate(settings.AzureLanguageEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"Privacy__AzureLanguageEndpoint must be an absolute URL such as https://{{resource}}.cognitiveservices.azure.com/; got '{settings.AzureLanguageEndpoint}'", nameof(options));
        }

        HttpPipelinePolicy authentication = string.IsNullOrEmpty(settings.AzureLanguageKey)
            ? new BearerTokenAuthenticationPolicy(credential ?? new global::Azure.Identity.DefaultAzureCredential(), EntraScope)
            : new AzureLanguageKeyPolicy(settings.AzureLanguageKey);
        var clientOptions = new AzureLanguageClientOptions();

        // One quick retry at most: the detector's whole budget is the timeout above.
        clientOptions.Retry.MaxRetries = 1;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        clientOptions.Retry.NetworkTimeout = settings.DetectorTimeout;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, authentication);
        _analyzeUri = new Uri(new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/"), $"language/:analyze-text?api-version={ApiVersion}");
    }

    public bool IsConfigured => _pipeline is not null;

    public async Task<IReadOnlyList<IReadOnlyList<PiiMatch>>> DetectAsync(IReadOnlyList<string> texts, IReadOnlyCollection<string> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(entities);
        if (_pipeline is null)
        {
            throw new PiiDetectorException("Azure AI Language is not configured (Privacy__AzureLanguageEndpoint)");
        }

        var results = texts.Select(static _ => new List<PiiMatch>()).ToArray();
        var categories = AzureLanguageCategories.CategoriesFor(entities).ToList();
        if (categories.Count == 0)
        {
            return results;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            var batches = AzureLanguageDocuments.Batch(texts);
            var answers = await Task.WhenAll(batches.Select(b => SendAsync(b, categories, timeout.Token)));
            for (var b = 0; b < batches.Count; b++)
            {
                foreach (var (piece, matches) in batches[b].Zip(answers[b]))
                {
                    results[piece.TextIndex].AddRange(matches.Select(m => m with { Start = m.Start + piece.Offset }));
                }
            }

            return results;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PiiDetectorException($"Azure AI Language did not answer within {_timeout.TotalMilliseconds:0} ms", ex);
        }
        catch (RequestFailedException ex)
        {
            throw new PiiDetectorException($"Azure AI Language answered {ex.Status} ({ex.ErrorCode})", ex);
        }
        catch (JsonException ex)
        {
            throw new PiiDetectorException("Azure AI Language answered with a body that is not its documented shape", ex);
        }
    }

    private async Task<List<PiiMatch>[]> SendAsync(AzureLanguageDocuments.Piece[] batch, List<string> categories, CancellationToken cancellationToken)
    {
        var body = new AnalyzeTextRequest(
            "PiiEntityRecognition",
            new PiiTaskParameters("latest", LoggingOptOut: true, categories, "Utf16CodeUnit"),
            new AnalysisInput([.. batch.Select(static (p, i) => new AnalyzeDocument(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "en", p.Text))]));
        using var message = _pipeline!.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_analyzeUri!);
        request.Headers.Add(HttpHeader.Common.JsonContentType);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, AzureLanguageJsonContext.Default.AnalyzeTextRequest));
        await _pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.Status != 200)
        {
            throw new RequestFailedException(response);
        }

        var parsed = JsonSerializer.Deserialize(response.Content.ToMemory().Span, AzureLanguageJsonContext.Default.AnalyzeTextResponse);
        if (parsed?.Results is not { } results || parsed.Kind != "PiiEntityRecognitionResults")
        {
            throw new JsonException("expected kind PiiEntityRecognitionResults with results");
        }

        if (results.Errors.Count > 0)
        {
            var error = results.Errors[0].Error;
            throw new PiiDetectorException($"Azure AI Language refused document {results.Errors[0].Id}: {error?.Code} {error?.Message}");
        }

        var matches = batch.Select(static _ => new List<PiiMatch>()).ToArray();
        foreach (var document in results.Documents)
        {
            if (!int.TryParse(document.Id, System.Globalization.CultureInfo.InvariantCulture, out var index) || (uint)index >= (uint)batch.Length)
            {
                throw new JsonException($"unknown document id '{document.Id}'");
            }

            foreach (var entity in document.Entities)
            {
                if (AzureLanguageCategories.EntityByCategory.TryGetValue(entity.Category, out var name)
                    && entity.Offset >= 0 && entity.Length > 0 && entity.Offset + entity.Length <= batch[index].Text.Length)
                {
                    matches[index].Add(new PiiMatch(entity.Offset, entity.Length, name));
                }
            }
        }

        return matches;
    }

    private sealed class AzureLanguageClientOptions : ClientOptions;
}
