using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Functions.Translation;

/// <summary>
/// OpenAI <c>messages</c> → Anthropic <c>system</c> + <c>messages</c>: leading system/developer
/// messages become system blocks, assistant <c>tool_calls</c> become <c>tool_use</c> blocks,
/// consecutive <c>tool</c> messages become one user message of <c>tool_result</c> blocks (parallel
/// calls are answered together), image parts become image blocks (URL or base64).
/// </summary>
internal static class AnthropicMessageTranslator
{
    // The image types Anthropic accepts (Messages API, vision).
    private static readonly HashSet<string> ImageTypes = new(StringComparer.Ordinal) { "image/jpeg", "image/png", "image/gif", "image/webp" };

    public readonly record struct Result(JsonArray? System, JsonArray Messages, TranslationError? Error)
    {
        public static Result Fail(TranslationError error) => new(null, [], error);
    }

    public static Result Translate(JsonNode? messagesNode)
    {
        if (messagesNode is not JsonArray messages || messages.Count == 0)
        {
            return Result.Fail(new TranslationError("messages", "must be a non-empty array"));
        }

        var system = new JsonArray();
        var output = new JsonArray();
        JsonArray? toolResults = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var field = $"messages[{i}]";
            if (messages[i] is not JsonObject message || JsonBytes.StringOf(message["role"]) is not { } role)
            {
                return Result.Fail(new TranslationError(field, "must be an object with a role"));
            }

            if (Unsupported(message, field) is { } unsupported)
            {
                return Result.Fail(unsupported);
            }

            if (role != "tool")
            {
                toolResults = null;
            }

            TranslationError? error;
            switch (role)
            {
                case "system" or "developer":
                    // Anthropic has one system prompt before the conversation; a system message later
                    // on would change meaning if moved.
                    if (output.Count > 0)
                    {
                        return Result.Fail(new TranslationError(field + ".role", "Anthropic takes system messages only before the conversation"));
                    }

                    error = TextBlocks(message["content"], field + ".content", system);
                    break;
                case "user":
                    error = User(message, field, output);
                    break;
                case "assistant":
                    error = Assistant(message, field, output);
                    break;
                case "tool":
                    if (toolResults is null)
                    {
                        toolResults = [];
                        output.Add(new JsonObject { ["role"] = "user", ["content"] = toolResults });
                    }

                    error = ToolResult(message, field, toolResults);
                    break;
                default:
                    error = new TranslationError(field + ".role", $"role '{role}' has no Anthropic equivalent");
                    break;
            }

            if (error is not null)
            {
                return Result.Fail(error);
            }
        }

        return new Result(system, output, null);
    }

    private static TranslationError? Unsupported(JsonObject message, string field)
    {
        foreach (var (name, value) in message)
        {
            switch (name)
            {
                case "role" or "content" or "tool_calls" or "tool_call_id":
                    break;
                case "refusal" or "annotations" when value is null:
                    break;
                case "name" when value is null:
                    break;
                default:
                    return new TranslationError($"{field}.{name}", "Anthropic messages have no equivalent");
            }
        }

        return null;
    }

    private static TranslationError? User(JsonObject message, string field, JsonArray output)
    {
        var content = message["content"];
        if (JsonBytes.StringOf(content) is { } text)
        {
            output.Add(new JsonObject { ["role"] = "user", ["content"] = text });
            return null;
        }

        if (content is not JsonArray parts)
        {
            return new TranslationError(field + ".content", "must be a string or an array of content parts");
        }

        var blocks = new JsonArray();
        for (var j = 0; j < parts.Count; j++)
        {
            var partField = $"{field}.content[{j}]";
            var type = parts[j] is JsonObject part ? JsonBytes.StringOf(part["type"]) : null;
            var error = type switch
            {
                "text" => Text(parts[j]!.AsObject(), partField, blocks),
                "image_url" => Image(parts[j]!.AsObject(), partField, blocks),
                _ => new TranslationError(partField + ".type", $"content part '{type}' has no Anthropic equivalent"),
            };
            if (error is not null)
            {
                return error;
            }
        }

        output.Add(new JsonObject { ["role"] = "user", ["content"] = blocks });
        return null;
    }

    private static TranslationError? Assistant(JsonObject message, string field, JsonArray output)
    {
        var blocks = new JsonArray();
        var content = message["content"];
        if (content is not null && TextBlocks(content, field + ".content", blocks, allowRefusal: true) is { } contentError)
        {
            return contentError;
        }

        if (message["tool_calls"] is { } toolCallsNode)
        {
            if (toolCallsNode is not JsonArray toolCalls)
            {
                return new TranslationError(field + ".tool_calls", "must be an array");
            }

            for (var j = 0; j < toolCalls.Count; j++)
            {
                if (ToolUse(toolCalls[j], $"{field}.tool_calls[{j}]", blocks) is { } error)
                {
                    return error;
                }
            }
        }

        output.Add(new JsonObject { ["role"] = "assistant", ["content"] = blocks });
        return null;
    }

    private static TranslationError? ToolUse(JsonNode? node, string field, JsonArray blocks)
    {
        if (node is not JsonObject call || JsonBytes.StringOf(call["id"]) is not { } id || call["function"] is not JsonObject function
            || JsonBytes.StringOf(function["name"]) is not { } name)
        {
            return new TranslationError(field, "must be a function call with an id and a name");
        }

        if (JsonBytes.StringOf(call["type"]) is { } type && type != "function")
        {
            return new TranslationError(field + ".type", $"tool call type '{type}' has no Anthropic equivalent");
        }

        JsonNode? input;
        try
        {
            var arguments = JsonBytes.StringOf(function["arguments"]);
            input = string.IsNullOrWhiteSpace(arguments) ? new JsonObject() : JsonNode.Parse(arguments);
        }
        catch (JsonException)
        {
            return new TranslationError(field + ".function.arguments", "must be a JSON object");
        }

        if (input is not JsonObject)
        {
            return new TranslationError(field + ".function.arguments", "must be a JSON object");
        }

        blocks.Add(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input });
        return null;
    }

    private static TranslationError? ToolResult(JsonObject message, string field, JsonArray results)
    {
        if (JsonBytes.StringOf(message["tool_call_id"]) is not { } id)
        {
            return new TranslationError(field + ".tool_call_id", "must be a string");
        }

        var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id };
        var content = message["content"];
        if (JsonBytes.StringOf(content) is { } text)
        {
            result["content"] = text;
        }
        else
        {
            var blocks = new JsonArray();
            if (TextBlocks(content, field + ".content", blocks) is { } error)
            {
                return error;
            }

            result["content"] = blocks;
        }

        results.Add(result);
        return null;
    }

    // A string or an array of text parts (assistant: refusal parts too) → text blocks.
    private static TranslationError? TextBlocks(JsonNode? content, string field, JsonArray blocks, bool allowRefusal = false)
    {
        if (JsonBytes.StringOf(content) is { } text)
        {
            // Anthropic refuses empty text blocks; an empty assistant text next to tool calls means "no text".
            if (text.Length > 0)
            {
                blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            }

            return null;
        }

        if (content is not JsonArray parts)
        {
            return new TranslationError(field, "must be a string or an array of text parts");
        }

        for (var j = 0; j < parts.Count; j++)
        {
            var partField = $"{field}[{j}]";
            var part = parts[j] as JsonObject;
            var type = part is null ? null : JsonBytes.StringOf(part["type"]);
            if (type == "text" || (allowRefusal && type == "refusal"))
            {
                var partText = JsonBytes.StringOf(part![type]);
                if (partText is null)
                {
                    return new TranslationError($"{partField}.{type}", "must be a string");
                }

                blocks.Add(new JsonObject { ["type"] = "text", ["text"] = partText });
                continue;
            }

            return new TranslationError(partField + ".type", $"content part '{type}' is not allowed here");
        }

        return null;
    }

    private static TranslationError? Text(JsonObject part, string field, JsonArray blocks)
    {
        if (JsonBytes.StringOf(part["text"]) is not { } text)
        {
            return new TranslationError(field + ".text", "must be a string");
        }

        blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        return null;
    }

    private static TranslationError? Image(JsonObject part, string field, JsonArray blocks)
    {
        // "detail" is a resolution hint OpenAI uses for its own tiling; Anthropic sizes images itself.
        if (part["image_url"] is not JsonObject image || JsonBytes.StringOf(image["url"]) is not { } url)
        {
            return new TranslationError(field + ".image_url.url", "must be a string");
        }

        JsonObject source;
        if (url.StartsWith("data:", StringComparison.Ordinal))
        {
            // data:<media type>;base64,<data>
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma < 0 ? string.Empty : url[5..comma];
            if (!header.EndsWith(";base64", StringComparison.Ordinal))
            {
                return new TranslationError(field + ".image_url.url", "a data URL must be base64-encoded");
            }

            var mediaType = header[..^";base64".Length];
            if (!ImageTypes.Contains(mediaType))
            {
                return new TranslationError(field + ".image_url.url", $"Anthropic accepts image/jpeg, image/png, image/gif or image/webp, not '{mediaType}'");
            }

            source = new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = url[(comma + 1)..] };
        }
        else if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            source = new JsonObject { ["type"] = "url", ["url"] = url };
        }
        else
        {
            return new TranslationError(field + ".image_url.url", "must be an http(s) URL or a base64 data URL");
        }

        blocks.Add(new JsonObject { ["type"] = "image", ["source"] = source });
        return null;
    }
}
