using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Functions.Translation;

/// <summary>
/// OpenAI <c>chat/completions</c> request → Anthropic Messages request (also Bedrock's body for
/// Anthropic models). Every OpenAI field is either translated, accepted with its default value, or
/// refused with a <see cref="TranslationError"/> naming it; nothing is dropped silently. The table
/// is in this folder's README.
/// </summary>
internal static class AnthropicRequestTranslator
{
    /// <summary>The tool a JSON-mode request (<c>response_format</c>) is forced to call; its input is the answer.</summary>
    public const string JsonToolName = "json_response";

    /// <summary>Bedrock's <c>anthropic_version</c> for the Messages API body.</summary>
    public const string BedrockVersion = "bedrock-2023-05-31";

    // Fields that carry no meaning for the answer (storage, routing hints on OpenAI's side).
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "store", "metadata", "service_tier", "prompt_cache_key", "stream_options",
    };

    /// <summary>Translates <paramref name="openAiBody"/> for <paramref name="model"/> (the provider's own model name).</summary>
    public static RequestTranslation Translate(ReadOnlySpan<byte> openAiBody, string model, bool forBedrock = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        JsonObject request;
        try
        {
            request = JsonNode.Parse(openAiBody) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return new TranslationError("(body)", "not a JSON object");
        }

        var output = new JsonObject();
        if (forBedrock)
        {
            output["anthropic_version"] = BedrockVersion;
        }
        else
        {
            output["model"] = model;
        }

        var messages = AnthropicMessageTranslator.Translate(request["messages"]);
        if (messages.Error is { } messageError)
        {
            return messageError;
        }

        if (messages.System is { Count: > 0 } system)
        {
            output["system"] = system;
        }

        output["messages"] = messages.Messages;
        var stream = false;
        var includeUsage = false;
        var jsonMode = false;
        foreach (var (name, value) in request)
        {
            var error = name switch
            {
                "model" or "messages" => null,
                "max_tokens" or "max_completion_tokens" => MaxTokens(output, name, value),
                "temperature" => Temperature(output, value),
                "top_p" => CopyNumber(output, "top_p", name, value),
                "stop" => Stop(output, value),
                "stream" => Stream(output, value, forBedrock, out stream),
                "user" or "safety_identifier" => User(output, name, value),
                "tools" => AnthropicToolTranslator.Tools(output, value),
                "tool_choice" or "parallel_tool_calls" => null,
                "response_format" => AnthropicToolTranslator.ResponseFormat(output, request, value, out jsonMode),
                "n" => DefaultOnly(name, value, 1),
                "presence_penalty" or "frequency_penalty" => DefaultOnly(name, value, 0),
                "top_logprobs" => DefaultOnly(name, value, 0),
                "logprobs" => value is null || value.GetValueKind() == JsonValueKind.False ? null : new TranslationError(name, "Anthropic returns no log probabilities"),
                "logit_bias" => value is null || value is JsonObject { Count: 0 } ? null : new TranslationError(name, "Anthropic has no token biasing"),
                "modalities" => Modalities(value),
                _ when Ignored.Contains(name) => null,
                _ => new TranslationError(name, "Anthropic has no equivalent"),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (AnthropicToolTranslator.ToolChoice(output, request["tool_choice"], request["parallel_tool_calls"]) is { } choiceError)
        {
            return choiceError;
        }

        if (!output.ContainsKey("max_tokens"))
        {
            output["max_tokens"] = AnthropicMaxTokens.For(model);
        }

        includeUsage = request["stream_options"] is JsonObject options
            && options["include_usage"] is { } include && include.GetValueKind() == JsonValueKind.True;
        return new TranslatedRequest(JsonBytes.Of(output), model, stream, includeUsage, jsonMode);
    }

    private static TranslationError? MaxTokens(JsonObject output, string name, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!TryInt(value, out var tokens) || tokens < 1)
        {
            return new TranslationError(name, "must be a positive integer");
        }

        // max_completion_tokens replaces the deprecated max_tokens: it wins when both are set.
        if (name == "max_completion_tokens" || !output.ContainsKey("max_tokens"))
        {
            output["max_tokens"] = tokens;
        }

        return null;
    }

    private static TranslationError? Temperature(JsonObject output, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        // OpenAI's range is 0..2, Anthropic's 0..1: values above 1 have no Anthropic equivalent.
        if (value.GetValueKind() != JsonValueKind.Number || value.GetValue<double>() is < 0 or > 1)
        {
            return new TranslationError("temperature", "Anthropic accepts a number from 0 to 1");
        }

        output["temperature"] = value.DeepClone();
        return null;
    }

    private static TranslationError? CopyNumber(JsonObject output, string target, string name, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return new TranslationError(name, "must be a number");
        }

        output[target] = value.DeepClone();
        return null;
    }

    private static TranslationError? Stop(JsonObject output, JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonValue when value.GetValueKind() == JsonValueKind.String:
                output["stop_sequences"] = new JsonArray(value.GetValue<string>());
                return null;
            case JsonArray array:
                var sequences = new JsonArray();
                foreach (var item in array)
                {
                    if (item is null || item.GetValueKind() != JsonValueKind.String)
                    {
                        return new TranslationError("stop", "must be a string or an array of strings");
                    }

                    sequences.Add(item.GetValue<string>());
                }

                output["stop_sequences"] = sequences;
                return null;
            default:
                return new TranslationError("stop", "must be a string or an array of strings");
        }
    }

    private static TranslationError? Stream(JsonObject output, JsonNode? value, bool forBedrock, out bool stream)
    {
        stream = value is not null && value.GetValueKind() == JsonValueKind.True;

        // Bedrock streams by the endpoint (invoke-with-response-stream), not by a body field.
        if (stream && !forBedrock)
        {
            output["stream"] = true;
        }

        return null;
    }

    private static TranslationError? User(JsonObject output, string name, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            return new TranslationError(name, "must be a string");
        }

        output["metadata"] = new JsonObject { ["user_id"] = value.GetValue<string>() };
        return null;
    }

    private static TranslationError? DefaultOnly(string name, JsonNode? value, double defaultValue)
        => value is null || (value.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() == defaultValue)
            ? null
            : new TranslationError(name, $"Anthropic supports only the default ({defaultValue})");

    private static TranslationError? Modalities(JsonNode? value)
        => value is null || (value is JsonArray array && array.Count == 1 && array[0] is { } only && only.GetValueKind() == JsonValueKind.String && only.GetValue<string>() == "text")
            ? null
            : new TranslationError("modalities", "Anthropic answers with text only");

    internal static bool TryInt(JsonNode value, out int result)
    {
        result = 0;
        return value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue(out result);
    }
}
