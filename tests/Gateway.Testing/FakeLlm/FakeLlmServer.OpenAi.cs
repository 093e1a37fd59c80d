using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

public sealed partial class FakeLlmServer
{
    /// <summary>Model ids <c>GET /v1/models</c> lists; <c>GET /v1/models/{id}</c> answers 404 for others.</summary>
    public static IReadOnlyList<string> OpenAiModelIds { get; } =
        ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo-instruct", "text-embedding-3-small", "tts-1", "whisper-1"];

    /// <summary>
    /// The bytes <c>POST /v1/audio/speech</c> returns for every format: an ID3v2 header followed by
    /// one silent MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz, so 417 bytes).
    /// </summary>
    public static ReadOnlyMemory<byte> SpeechAudio { get; } = CreateSpeechAudio();

    /// <summary>Component <paramref name="dimension"/> of the embedding of input number <paramref name="inputIndex"/> (both 0-based); exact in binary floating point.</summary>
    public static float EmbeddingValue(int inputIndex, int dimension) => ((inputIndex + 1) * 0.5f) + (dimension * 0.25f);

    /// <summary>Writes 400/404 and returns null when the body can't be served, like the real endpoint.</summary>
    private static async Task<JsonObject?> ReadOpenAiRequestAsync(FakeLlmExchange x, string requiredProperty)
    {
        if (x.Provider == FakeLlmProvider.Azure && x.Request.Query("api-version") is null)
        {
            // Azure answers a missing api-version as if the route did not exist.
            await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status404NotFound, "Resource not found");
            return null;
        }

        if (x.Json is not { } json)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x,
                StatusCodes.Status400BadRequest,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
            return null;
        }

        if (x.Provider == FakeLlmProvider.OpenAi && FakeJson.String(json["model"]) is null)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x, StatusCodes.Status400BadRequest, "you must provide a model parameter", param: null);
            return null;
        }

        if (json[requiredProperty] is null)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x,
                StatusCodes.Status400BadRequest,
                $"Missing required parameter: '{requiredProperty}'.",
                param: requiredProperty,
                code: "missing_required_parameter");
            return null;
        }

        return json;
    }

    /// <summary>The request's model; Azure requests may omit it, then the deployment name stands in.</summary>
    private static string ModelOf(FakeLlmExchange x, JsonObject json)
        => FakeJson.String(json["model"]) ?? RouteValue(x.Context, "deployment") ?? "unknown";

    private static async Task HandleChatCompletionsAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadOpenAiRequestAsync(x, "messages") is not { } json)
        {
            return;
        }

        if (OpenAiFunctionsToCall(json) is { Count: > 0 } functions)
        {
            await WriteOpenAiToolCallsAsync(x, json, functions);
            return;
        }

        var model = ModelOf(x, json);
        var content = OpenAiContent(json, x.Settings.ResponseText);
        var chunks = FakeLlmTokens.SplitIntoChunks(content);
        var promptTokens = x.PromptTokens(FakeLlmTokens.CountMessageWords(json["messages"]));
        var completionTokens = chunks.Count;
        var id = x.Id("chatcmpl-");
        var azure = x.Provider == FakeLlmProvider.Azure;

        if (!FakeJson.Bool(json["stream"]))
        {
            var body = FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("object", "chat.completion");
                w.WriteNumber("created", x.Created);
                w.WriteString("model", model);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                w.WriteString("content", content);
                w.WriteNull("refusal");
                w.WriteEndObject();
                w.WriteNull("logprobs");
                w.WriteString("finish_reason", "stop");
                if (azure)
                {
                    FakeJson.WriteAzureContentFilterResults(w, "content_filter_results");
                }

                w.WriteEndObject();
                w.WriteEndArray();
                FakeJson.WriteOpenAiUsage(w, promptTokens, completionTokens, withDetails: true);
                if (azure)
                {
                    FakeJson.WriteAzurePromptFilterResults(w);
                }

                w.WriteString("system_fingerprint", "fp_fake");
                w.WriteEndObject();
            });
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
            return;
        }

        var usage = StreamUsagePlan.For(x, json);
        var sse = await SseWriter.StartAsync(x);
        if (azure)
        {
            // Azure opens every stream with a chunk that has only the prompt filter results.
            await sse.WriteDataAsync(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("choices");
                w.WriteEndArray();
                w.WriteNumber("created", 0);
                w.WriteString("id", string.Empty);
                w.WriteString("model", string.Empty);
                w.WriteString("object", string.Empty);
                FakeJson.WriteAzurePromptFilterResults(w);
                w.WriteEndObject();
            });
        }

        await sse.WriteDataAsync(w => WriteChatChunk(w, x, id, model, usage, role: "assistant", content: string.Empty, finishReason: null));
        foreach (var chunk in chunks)
        {
            await sse.WriteDataAsync(w => WriteChatChunk(w, x, id, model, usage, role: null, content: chunk, finishReason: null));
        }

        await FinishChatStreamAsync(sse, x, id, model, usage, "stop", promptTokens, completionTokens);
    }

    private static void WriteChunkHeader(Utf8JsonWriter w, string id, string objectType, long created, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", objectType);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "fp_fake");
    }

    private static void WriteChatChunk(
        Utf8JsonWriter w, FakeLlmExchange x, string id, string model, StreamUsagePlan usage, string? role, string? content, string? finishReason,
        Action<Utf8JsonWriter>? toolCall = null)
    {
        WriteChunkHeader(w, id, "chat.completion.chunk", x.Created, model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        if (role is not null)
        {
            w.WriteString("role", role);
        }

        if (content is not null)
        {
            w.WriteString("content", content);
        }

        if (role is not null)
        {
            w.WriteNull("refusal");
        }

        if (toolCall is not null)
        {
            w.WriteStartArray("tool_calls");
            toolCall(w);
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        if (x.Provider == FakeLlmProvider.Azure && content is { Length: > 0 })
        {
            FakeJson.WriteAzureContentFilterResults(w, "content_filter_results");
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (usage.NullOnOtherChunks)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    private static async Task HandleCompletionsAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadOpenAiRequestAsync(x, "prompt") is not { } json)
        {
            return;
        }

        var model = ModelOf(x, json);
        var chunks = FakeLlmTokens.SplitIntoChunks(x.Settings.ResponseText);
        var promptTokens = x.PromptTokens(FakeLlmTokens.CountContentWords(json["prompt"]));
        var completionTokens = chunks.Count;
        var id = x.Id("cmpl-");

        if (!FakeJson.Bool(json["stream"]))
        {
            var body = FakeJson.Write(w =>
            {
                WriteChunkHeader(w, id, "text_completion", x.Created, model);
                w.WriteStartArray("choices");
                WriteCompletionChoice(w, x, x.Settings.ResponseText, "stop");
                w.WriteEndArray();
                FakeJson.WriteOpenAiUsage(w, promptTokens, completionTokens, withDetails: false);
                w.WriteEndObject();
            });
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
            return;
        }

        var usage = StreamUsagePlan.For(x, json);
        var sse = await SseWriter.StartAsync(x);
        foreach (var chunk in chunks)
        {
            await sse.WriteDataAsync(w => WriteCompletionChunk(w, x, id, model, usage, chunk, finishReason: null));
        }

        await sse.WriteDataAsync(w => WriteCompletionChunk(w, x, id, model, usage, string.Empty, "stop"));
        if (usage.FinalChunk)
        {
            await sse.WriteDataAsync(w =>
            {
                WriteChunkHeader(w, id, "text_completion", x.Created, model);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                FakeJson.WriteOpenAiUsage(w, promptTokens, completionTokens, withDetails: false);
                w.WriteEndObject();
            });
        }

        await sse.WriteDoneAsync();
        await sse.CompleteAsync();
    }

    private static void WriteCompletionChunk(
        Utf8JsonWriter w, FakeLlmExchange x, string id, string model, StreamUsagePlan usage, string text, string? finishReason)
    {
        WriteChunkHeader(w, id, "text_completion", x.Created, model);
        w.WriteStartArray("choices");
        WriteCompletionChoice(w, x, text, finishReason);
        w.WriteEndArray();
        if (usage.NullOnOtherChunks)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    private static void WriteCompletionChoice(Utf8JsonWriter w, FakeLlmExchange x, string text, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteNumber("index", 0);
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        if (x.Provider == FakeLlmProvider.Azure)
        {
            FakeJson.WriteAzureContentFilterResults(w, "content_filter_results");
        }

        w.WriteEndObject();
    }

    private static async Task HandleEmbeddingsAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadOpenAiRequestAsync(x, "input") is not { } json)
        {
            return;
        }

        var input = json["input"];
        // A string or a token array is one input; an array of strings or of token arrays is several.
        var inputCount = input is JsonArray { Count: > 0 } items && (items[0] is JsonArray || FakeJson.String(items[0]) is not null)
            ? items.Count
            : 1;
        var dimensions = FakeJson.Int(json["dimensions"]) ?? x.Settings.EmbeddingDimensions;
        var base64 = FakeJson.String(json["encoding_format"]) == "base64";
        var promptTokens = x.PromptTokens(FakeLlmTokens.CountContentWords(input));
        var model = ModelOf(x, json);

        var body = FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (var i = 0; i < inputCount; i++)
            {
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (base64)
                {
                    // base64 of the little-endian float32 values, as OpenAI sends (and the .NET SDK requests by default).
                    var bytes = new byte[dimensions * sizeof(float)];
                    for (var d = 0; d < dimensions; d++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), EmbeddingValue(i, d));
                    }

                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    for (var d = 0; d < dimensions; d++)
                    {
                        w.WriteNumberValue(EmbeddingValue(i, d));
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("total_tokens", promptTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
    }

    private static Task HandleModelsAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (x.Provider == FakeLlmProvider.Anthropic)
        {
            return HandleAnthropicModelsAsync(x, id: null);
        }

        var body = FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var id in OpenAiModelIds)
            {
                WriteOpenAiModel(w, id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
    }

    private static Task HandleModelAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        var id = RouteValue(context, "id") ?? string.Empty;
        if (x.Provider == FakeLlmProvider.Anthropic)
        {
            return HandleAnthropicModelsAsync(x, id);
        }

        if (!OpenAiModelIds.Contains(id))
        {
            return FakeLlmResponses.WriteErrorAsync(
                x,
                StatusCodes.Status404NotFound,
                $"The model '{id}' does not exist or you do not have access to it.",
                code: "model_not_found");
        }

        return FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w => WriteOpenAiModel(w, id)));
    }

    private static void WriteOpenAiModel(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", 1_715_367_049);
        w.WriteString("owned_by", "system");
        w.WriteEndObject();
    }

    private static async Task HandleFileUploadAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (!context.Request.HasFormContentType)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x,
                StatusCodes.Status400BadRequest,
                $"Invalid Content-Type header ({context.Request.ContentType}), expected multipart/form-data. (HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')");
            return;
        }

        var form = await context.Request.ReadFormAsync(x.Aborted);
        var purpose = form["purpose"].ToString();
        if (purpose.Length == 0)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x, StatusCodes.Status400BadRequest, "Missing required parameter: 'purpose'.", param: "purpose", code: "missing_required_parameter");
            return;
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x, StatusCodes.Status400BadRequest, "Missing required parameter: 'file'.", param: "file", code: "missing_required_parameter");
            return;
        }

        var body = FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "file");
            w.WriteString("id", x.Id("file-"));
            w.WriteString("purpose", purpose);
            w.WriteString("filename", file.FileName);
            w.WriteNumber("bytes", file.Length);
            w.WriteNumber("created_at", x.Created);
            w.WriteNull("expires_at");
            w.WriteString("status", "processed");
            w.WriteNull("status_details");
            w.WriteEndObject();
        });
        await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
    }

    private static async Task HandleSpeechAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadOpenAiRequestAsync(x, "input") is not { } json)
        {
            return;
        }

        if (FakeJson.String(json["voice"]) is null)
        {
            await FakeLlmResponses.WriteErrorAsync(
                x, StatusCodes.Status400BadRequest, "Missing required parameter: 'voice'.", param: "voice", code: "missing_required_parameter");
            return;
        }

        var contentType = (FakeJson.String(json["response_format"]) ?? "mp3") switch
        {
            "opus" => "audio/opus",
            "aac" => "audio/aac",
            "flac" => "audio/flac",
            "wav" => "audio/wav",
            "pcm" => "audio/pcm",
            _ => "audio/mpeg",
        };

        // The real endpoint streams audio with chunked encoding as it is generated: no Content-Length.
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        var half = SpeechAudio.Length / 2;
        await response.Body.WriteAsync(SpeechAudio[..half], x.Aborted);
        await response.Body.FlushAsync(x.Aborted);
        if (x.DropFault is not null)
        {
            throw await x.DropAsync();
        }

        await response.Body.WriteAsync(SpeechAudio[half..], x.Aborted);
    }

    private static byte[] CreateSpeechAudio()
    {
        var audio = new byte[10 + 417];
        // ID3v2.4 header with an empty tag: "ID3", version 4.0, no flags, size 0.
        "ID3"u8.CopyTo(audio);
        audio[3] = 4;
        // MPEG-1 Layer III, no CRC, 128 kbit/s, 44.1 kHz, no padding, joint stereo.
        audio[10] = 0xFF;
        audio[11] = 0xFB;
        audio[12] = 0x90;
        audio[13] = 0x64;
        return audio;
    }
}
