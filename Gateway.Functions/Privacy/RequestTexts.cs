using System.Text.Json.Nodes;

namespace Gateway.Functions.Privacy;

/// <summary>
/// The texts a request sends to the model, as nodes of its JSON so they can be replaced in
/// place: chat <c>messages[].content</c> (a string, or <c>text</c> parts), Anthropic <c>system</c>
/// and content blocks, completions <c>prompt</c>, embeddings <c>input</c> (strings; token arrays
/// carry no text), and Responses-style <c>input</c> messages. Images, audio and tool schemas are not text to scan.
/// </summary>
internal static class RequestTexts
{
    public static List<JsonValue> Collect(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var texts = new List<JsonValue>();
        Content(root["system"], texts);
        if (root["messages"] is JsonArray messages)
        {
            foreach (var message in messages)
            {
                Content((message as JsonObject)?["content"], texts);
            }
        }

        Strings(root["prompt"], texts);
        if (root["input"] is JsonArray inputs && inputs.Any(static i => i is JsonObject))
        {
            foreach (var input in inputs)
            {
                Content(input is JsonObject item ? item["content"] ?? item["text"] : input, texts);
            }
        }
        else
        {
            Strings(root["input"], texts);
        }

        return texts;
    }

    // A string, or an array of parts: strings, or objects with a string "text" (OpenAI text parts, Anthropic text blocks).
    private static void Content(JsonNode? content, List<JsonValue> texts)
    {
        if (IsString(content))
        {
            texts.Add((JsonValue)content!);
            return;
        }

        if (content is not JsonArray parts)
        {
            return;
        }

        foreach (var part in parts)
        {
            if (IsString(part))
            {
                texts.Add((JsonValue)part!);
            }
            else if (part is JsonObject block && IsString(block["text"]))
            {
                texts.Add((JsonValue)block["text"]!);
            }
            else if (part is JsonObject result && result["content"] is { } nested && result["type"]?.GetValue<string>() == "tool_result")
            {
                Content(nested, texts);
            }
        }
    }

    private static void Strings(JsonNode? value, List<JsonValue> texts)
    {
        if (IsString(value))
        {
            texts.Add((JsonValue)value!);
        }
        else if (value is JsonArray items)
        {
            foreach (var item in items)
            {
                if (IsString(item))
                {
                    texts.Add((JsonValue)item!);
                }
            }
        }
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String;
}
