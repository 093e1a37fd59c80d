using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Privacy;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Privacy;

/// <summary>
/// The key's PII policy over the request's texts (<see cref="RequestTexts"/>): block (403
/// <c>request blocked</c>), warn (recorded), redact or tokenize (placeholders go upstream), in
/// that precedence. Tokenized placeholders are turned back in the answer, and a policy with
/// <c>scanResponses</c> redacts the answer too (<see cref="AnswerTextTransform"/>). The policy
/// comes from the config snapshot; no database, and the cloud detector only when the policy needs it.
/// </summary>
internal sealed partial class PrivacyStep(PiiScanner scanner, IOptions<PrivacyOptions> options, ILogger<PrivacyStep> logger) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.Key?.PolicyId is not { Length: > 0 } policyId)
        {
            return StepResult.ContinueTask;
        }

        context.Privacy = new PrivacyRecord(policyId);
        if (!context.Snapshot.PoliciesById.TryGetValue(policyId, out var policy))
        {
            // Written moments ago and not in this copy yet (or removed behind the admin API's back):
            // never forward unscanned what the policy might have blocked.
            LogPolicyMissing(logger, policyId, context.Key.KeyId);
            context.Privacy.Add(PiiAction.Block, new Dictionary<string, int>());
            return StepResult.EndTask(new ProxyOutcome(503, ProxyErrorKind.Unavailable, "request blocked: the key's policy is not loaded yet", TimeSpan.FromSeconds(1)));
        }

        var compiled = PolicyCompiler.Get(policy);
        if (compiled.IsEmpty || context.Body is null || !TryParse(context.Body.Bytes, out var root))
        {
            return StepResult.ContinueTask;
        }

        var texts = RequestTexts.Collect(root);
        var book = new PlaceholderBook();
        if (policy.ScanResponses)
        {
            var window = options.Value.StreamWindowChars;
            var record = context.Privacy;
            context.ResponseTransforms.Add(new AnswerTextTransform(() => new RedactingWindow(compiled, book, record, window)));
        }

        if (texts.Count == 0)
        {
            return StepResult.ContinueTask;
        }

        var values = texts.ConvertAll(static t => t.GetValue<string>());
        var scan = scanner.ScanAsync(compiled, values, context.Aborted);
        return scan.IsCompletedSuccessfully
            ? ValueTask.FromResult(Apply(context, scan.Result, root, texts, values, book))
            : ApplyAsync(context, scan, root, texts, values, book);
    }

    private static async ValueTask<StepResult> ApplyAsync(ProxyContext context, ValueTask<PiiScanResult?> scan, JsonObject root, List<JsonValue> texts, List<string> values, PlaceholderBook book)
        => Apply(context, await scan, root, texts, values, book);

    private static StepResult Apply(ProxyContext context, PiiScanResult? scan, JsonObject root, List<JsonValue> texts, List<string> values, PlaceholderBook book)
    {
        var record = context.Privacy!;
        if (scan is null)
        {
            record.Add(PiiAction.Block, new Dictionary<string, int>());
            return StepResult.End(new ProxyOutcome(503, ProxyErrorKind.Unavailable, "request blocked: PII detection is unavailable", TimeSpan.FromSeconds(1)));
        }

        record.Add(scan.Action, scan.Counts);
        if (scan.Action == PiiAction.Block)
        {
            // BricksLLM's answer, in the provider's error shape.
            return StepResult.End(ProxyOutcome.Forbidden("request blocked"));
        }

        if (!scan.Changes)
        {
            return StepResult.Continue;
        }

        for (var i = 0; i < texts.Count; i++)
        {
            if (scan.Findings[i].Count > 0)
            {
                texts[i].ReplaceWith(JsonValue.Create(book.Apply(values[i], scan.Findings[i])));
            }
        }

        context.Body!.Replace(JsonSerializer.SerializeToUtf8Bytes(root, ForwardingJsonContext.Default.JsonObject));
        if (book.Tokens.Count > 0)
        {
            context.ResponseTransforms.Add(new AnswerTextTransform(() => new DetokenizingWindow(book)));
        }

        return StepResult.Continue;
    }

    private static bool TryParse(ReadOnlyMemory<byte> body, out JsonObject root)
    {
        try
        {
            root = JsonNode.Parse(body.Span) as JsonObject ?? null!;
            return root is not null;
        }
        catch (JsonException)
        {
            root = null!;
            return false;
        }
    }

    [LoggerMessage(1610, LogLevel.Warning, "Key {KeyId} names policy {PolicyId}, which this proxy's config copy does not hold; the request is refused")]
    private static partial void LogPolicyMissing(ILogger logger, string policyId, string keyId);
}
