using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Functions.Translation;

/// <summary>
/// OpenAI <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>response_format</c>
/// → Anthropic <c>tools</c> and <c>tool_choice</c>. JSON mode has no Anthropic switch: it becomes
/// one tool whose input schema is the wanted JSON, forced by <c>tool_choice</c>; the response
/// translation turns that tool's input back into the message content.
/// </summary>
internal static class AnthropicToolTranslator
{
    public static TranslationError? Tools(JsonObject output, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not JsonArray tools)
        {
            return new TranslationError("tools", "must be an array");
        }

        var translated = new JsonArray();
        for (var i = 0; i < tools.Count; i++)
        {
            var field = $"tools[{i}]";
            if (tools[i] is not JsonObject tool || JsonBytes.StringOf(tool["type"]) != "function")
            {
                return new TranslationError(field + ".type", "only function tools have an Anthropic equivalent");
            }

            if (tool["function"] is not JsonObject function || JsonBytes.StringOf(function["name"]) is not { } name)
            {
                return new TranslationError(field + ".function.name", "must be a string");
            }

            // "strict" asks OpenAI to enforce the schema exactly; Anthropic validates tool input against it anyway.
            var anthropicTool = new JsonObject { ["name"] = name };
            if (JsonBytes.StringOf(function["description"]) is { } description)
            {
                anthropicTool["description"] = description;
            }

            var parameters = function["parameters"];
            if (parameters is not null and not JsonObject)
            {
                return new TranslationError(field + ".function.parameters", "must be a JSON schema object");
            }

            anthropicTool["input_schema"] = parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            translated.Add(anthropicTool);
        }

        if (translated.Count > 0)
        {
            output["tools"] = translated;
        }

        return null;
    }

    public static TranslationError? ToolChoice(JsonObject output, JsonNode? choice, JsonNode? parallel)
    {
        var disableParallel = parallel is not null && parallel.GetValueKind() == JsonValueKind.False;
        if (output.ContainsKey("tool_choice"))
        {
            // JSON mode already forces its own tool.
            return choice is null ? null : new TranslationError("tool_choice", "cannot be combined with response_format for Anthropic");
        }

        JsonObject? translated;
        if (choice is null)
        {
            translated = disableParallel && output.ContainsKey("tools") ? new JsonObject { ["type"] = "auto" } : null;
        }
        else if (JsonBytes.StringOf(choice) is { } mode)
        {
            translated = mode switch
            {
                "auto" => new JsonObject { ["type"] = "auto" },
                "required" => new JsonObject { ["type"] = "any" },
                "none" => new JsonObject { ["type"] = "none" },
                _ => null,
            };
            if (translated is null)
            {
                return new TranslationError("tool_choice", $"'{mode}' is not auto, required or none");
            }
        }
        else if (choice is JsonObject named && JsonBytes.StringOf(named["type"]) == "function"
            && named["function"] is JsonObject function && JsonBytes.StringOf(function["name"]) is { } name)
        {
            translated = new JsonObject { ["type"] = "tool", ["name"] = name };
        }
        else
        {
            return new TranslationError("tool_choice", "only auto, required, none or a named function have an Anthropic equivalent");
        }

        if (translated is not null)
        {
            if (disableParallel && JsonBytes.StringOf(translated["type"]) != "none")
            {
                translated["disable_parallel_tool_use"] = true;
            }

            output["tool_choice"] = translated;
        }

        return null;
    }

    public static TranslationError? ResponseFormat(JsonObject output, JsonObject request, JsonNode? value, out bool jsonMode)
    {
        jsonMode = false;
        if (value is null)
        {
            return null;
        }

        var type = value is JsonObject format ? JsonBytes.StringOf(format["type"]) : null;
        JsonNode schema;
        string? description = null;
        switch (type)
        {
            case "text":
                return null;
            case "json_object":
                schema = new JsonObject { ["type"] = "object" };
                description = "Answer with a JSON object.";
                break;
            case "json_schema":
                if (value["json_schema"] is not JsonObject jsonSchema || jsonSchema["schema"] is not JsonObject given
                    || JsonBytes.StringOf(given["type"]) != "object")
                {
                    return new TranslationError("response_format.json_schema.schema", "Anthropic needs an object schema (\"type\": \"object\")");
                }

                schema = given.DeepClone();
                description = JsonBytes.StringOf(jsonSchema["description"]) ?? "Answer with JSON matching the schema.";
                break;
            default:
                return new TranslationError("response_format.type", "must be text, json_object or json_schema");
        }

        if (request["tools"] is JsonArray { Count: > 0 })
        {
            return new TranslationError("response_format", "cannot be combined with tools for Anthropic");
        }

        output["tools"] = new JsonArray(new JsonObject
        {
            ["name"] = AnthropicRequestTranslator.JsonToolName,
            ["description"] = description,
            ["input_schema"] = schema,
        });
        output["tool_choice"] = new JsonObject { ["type"] = "tool", ["name"] = AnthropicRequestTranslator.JsonToolName };
        jsonMode = true;
        return null;
    }
}
