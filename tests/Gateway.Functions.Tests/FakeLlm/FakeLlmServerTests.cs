using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Azure.AI.OpenAI;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Files;

namespace Gateway.Functions.Tests.FakeLlm;

/// <summary>
/// Tests of the fake itself: the official SDKs must parse what it sends (proof of wire
/// compatibility), and each fault switch must do what gateway tests will rely on.
/// </summary>
public sealed class FakeLlmServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OpenAiSdk_NonStreamingChat_ParsesTextUsageAndEchoedModel()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var chat = OpenAiClient(server, "sk-test-key").GetChatClient("gpt-4o-mini");

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("Be brief"), new UserChatMessage("Say hello to the tests")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(2 + 5, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal(12, completion.Usage.TotalTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-key", request.Header("authorization"));
    }

    [Fact]
    public async Task OpenAiSdk_StreamingChat_AssemblesConfiguredTextAndReceivesUsage()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ResponseText = "one two three four";
        var chat = OpenAiClient(server).GetChatClient("gpt-4o-mini");

        var text = new StringBuilder();
        var contentUpdates = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("count to four")]))
        {
            foreach (var part in update.ContentUpdate.Where(static p => p.Text.Length > 0))
            {
                text.Append(part.Text);
                contentUpdates++;
            }

            usage ??= update.Usage;
        }

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal(4, contentUpdates);
        Assert.NotNull(usage);
        Assert.Equal(3, usage.InputTokenCount);
        Assert.Equal(4, usage.OutputTokenCount);
        // The SDK asks for usage itself; the fake only sends it because it was asked.
        var request = await server.WaitForRequestAsync(static r => r.Outcome != FakeLlmRequestOutcome.InProgress, s_timeout);
        Assert.True(request.ParseJsonBody()!["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(FakeLlmRequestOutcome.Completed, request.Outcome);
        Assert.Equal(0, server.CancelledRequestCount);
    }

    [Fact]
    public async Task RawStreamingChat_IncludeUsageFlag_ControlsFinalUsageChunk()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server);

        using var withoutUsage = await SendAsync(http, Post("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal("text/event-stream", withoutUsage.Content.Headers.ContentType?.MediaType);
        var plain = await ReadAllEventsAsync(withoutUsage);
        Assert.Equal("[DONE]", plain[^1].Data);
        var plainChunks = plain[..^1].Select(static e => JsonNode.Parse(e.Data)!.AsObject()).ToList();
        Assert.All(plainChunks, static c => Assert.False(c.ContainsKey("usage")));
        Assert.All(plainChunks, static c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.All(plainChunks, static c => Assert.Single(c["choices"]!.AsArray()));
        Assert.Equal("assistant", plainChunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("stop", plainChunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, string.Concat(plainChunks.Select(static c => (string?)c["choices"]![0]!["delta"]!["content"])));

        using var withUsage = await SendAsync(http, Post("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi there"}]}"""));
        var events = await ReadAllEventsAsync(withUsage);
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events[..^1].Select(static e => JsonNode.Parse(e.Data)!.AsObject()).ToList();
        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(2, usageChunk["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(5, usageChunk["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(7, usageChunk["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.All(chunks[..^1], static c => Assert.Null(c["usage"]));
        Assert.All(chunks[..^1], static c => Assert.True(c.ContainsKey("usage")));
    }

    [Fact]
    public async Task RawStreamingChat_FinalEventOnlyUsage_SendsUsageChunkEvenWhenNotRequested()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.StreamUsage = FakeLlmStreamUsage.FinalEventOnly;
        server.Behavior.PromptTokens = 42;
        using var http = HttpClientFor(server);

        using var response = await SendAsync(http, Post("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        var chunks = (await ReadAllEventsAsync(response))[..^1].Select(static e => JsonNode.Parse(e.Data)!.AsObject()).ToList();

        Assert.Equal(42, chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.All(chunks[..^1], static c => Assert.False(c.ContainsKey("usage")));
    }

    [Fact]
    public async Task OpenAiSdk_Embeddings_ParsesVectorsAndUsage()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var embeddings = OpenAiClient(server).GetEmbeddingClient("text-embedding-3-small");

        var result = (await embeddings.GenerateEmbeddingsAsync(["alpha beta", "gamma"])).Value;

        Assert.Equal(2, result.Count);
        for (var i = 0; i < result.Count; i++)
        {
            var vector = result[i].ToFloats().ToArray();
            Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, vector.Length);
            Assert.Equal(Enumerable.Range(0, vector.Length).Select(d => FakeLlmServer.EmbeddingValue(i, d)), vector);
        }

        Assert.Equal(3, result.Usage.InputTokenCount);
        // The SDK asks for base64 vectors: the fake must have answered in that encoding.
        Assert.Equal("base64", (string?)server.LastRequest!.ParseJsonBody()!["encoding_format"]);
    }

    [Fact]
    public async Task AzureSdk_Chat_UsesDeploymentPathApiVersionAndApiKey()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ExpectedAzureApiKey = "azure-key";
        server.Behavior.ResponseText = "Hello from Azure";
        var azure = new AzureOpenAIClient(
            server.BaseUrl, new ApiKeyCredential("azure-key"), new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) });

        ChatCompletion completion = await azure.GetChatClient("my-deployment").CompleteChatAsync([new UserChatMessage("hi there")]);

        Assert.Equal("Hello from Azure", completion.Content[0].Text);
        Assert.Equal(2, completion.Usage.InputTokenCount);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/my-deployment/chat/completions", request.Path);
        Assert.False(string.IsNullOrEmpty(request.Query("api-version")));
        Assert.Equal("azure-key", request.Header("api-key"));
    }

    [Fact]
    public async Task AzurePath_MissingApiVersion_Returns404InAzureShape()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server, authorization: null);
        var request = Post("/openai/deployments/d1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");
        request.Headers.Add("api-key", "k");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404", (string?)(await ReadJsonAsync(response))["error"]!["code"]);
    }

    [Fact]
    public async Task AnthropicStreaming_EventSequence_MatchesProviderOrderAndJoinsText()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server, authorization: null);

        using var response = await SendAsync(http, AnthropicPost("/v1/messages", """{"model":"claude-sonnet-4-20250514","max_tokens":64,"stream":true,"system":"be nice","messages":[{"role":"user","content":[{"type":"text","text":"hello there"}]}]}"""));
        var events = await ReadAllEventsAsync(response);

        string[] expected =
        [
            "message_start", "content_block_start", "ping",
            "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop",
        ];
        Assert.Equal(expected, events.Select(static e => e.Event));
        var payloads = events.Select(static e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal(expected, payloads.Select(static p => (string?)p["type"]));
        var deltas = payloads.Where(static p => (string?)p["type"] == "content_block_delta").ToList();
        Assert.All(deltas, static d => Assert.Equal("text_delta", (string?)d["delta"]!["type"]));
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, string.Concat(deltas.Select(static d => (string?)d["delta"]!["text"])));
        Assert.Equal("claude-sonnet-4-20250514", (string?)payloads[0]["message"]!["model"]);
        Assert.Equal(4, payloads[0]["message"]!["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(5, payloads[^2]["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal("end_turn", (string?)payloads[^2]["delta"]!["stop_reason"]);
        Assert.Equal("req_fake000001", response.Headers.GetValues("request-id").Single());
    }

    [Fact]
    public async Task AnthropicStreaming_FinalEventOnlyUsage_ReportsAllUsageInMessageDelta()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.StreamUsage = FakeLlmStreamUsage.FinalEventOnly;
        using var http = HttpClientFor(server, authorization: null);

        using var response = await SendAsync(http, AnthropicPost("/v1/messages", """{"model":"claude-3-5-haiku-20241022","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"one two three"}]}"""));
        var payloads = (await ReadAllEventsAsync(response)).Select(static e => JsonNode.Parse(e.Data)!).ToList();

        Assert.Equal(0, payloads[0]["message"]!["usage"]!["input_tokens"]!.GetValue<int>());
        var messageDelta = payloads.Single(static p => (string?)p["type"] == "message_delta");
        Assert.Equal(3, messageDelta["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(5, messageDelta["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnthropicMessages_NonStreamingAndCountTokens_ReturnMessageShapeAndUsage()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ExpectedAnthropicApiKey = "sk-ant-test";
        using var http = HttpClientFor(server, authorization: null);
        const string Body = """{"model":"claude-sonnet-4-20250514","max_tokens":64,"messages":[{"role":"user","content":"what is up"}]}""";

        using var message = await SendAsync(http, AnthropicPost("/v1/messages", Body));
        using var count = await SendAsync(http, AnthropicPost("/v1/messages/count_tokens", Body));

        var json = await ReadJsonAsync(message);
        Assert.Equal("message", (string?)json["type"]);
        Assert.Equal("assistant", (string?)json["role"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)json["content"]![0]!["text"]);
        Assert.Equal(3, json["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(5, json["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal(3, (await ReadJsonAsync(count))["input_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnthropicLegacyComplete_Streaming_SendsCompletionEventsEndingWithStopReason()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ResponseText = "Hi there";
        using var http = HttpClientFor(server, authorization: null);

        using var response = await SendAsync(http, AnthropicPost("/v1/complete", """{"model":"claude-2.1","max_tokens_to_sample":32,"stream":true,"prompt":"\n\nHuman: Hi\n\nAssistant:"}"""));
        var events = await ReadAllEventsAsync(response);

        Assert.Equal(["completion", "ping", "completion", "completion"], events.Select(static e => e.Event));
        var completions = events.Where(static e => e.Event == "completion").Select(static e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal("Hi there", string.Concat(completions.Select(static c => (string?)c["completion"])));
        Assert.Equal("stop_sequence", (string?)completions[^1]["stop_reason"]);
        Assert.Null(completions[0]["stop_reason"]);
    }

    [Fact]
    public async Task OpenAiCompletions_NonStreaming_ReturnsTextCompletionWithWordCountUsage()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server);

        using var response = await SendAsync(http, Post("/v1/completions", """{"model":"gpt-3.5-turbo-instruct","prompt":"Once upon a time"}"""));
        var json = await ReadJsonAsync(response);

        Assert.Equal("text_completion", (string?)json["object"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)json["choices"]![0]!["text"]);
        Assert.Equal(4, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(5, json["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task OpenAiSdk_ModelsFilesAndSpeech_ParseFakeResponses()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var client = OpenAiClient(server);

        var models = (await client.GetOpenAIModelClient().GetModelsAsync()).Value;
        Assert.Contains(models, static m => m.Id == "gpt-4o-mini");
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetOpenAIModelClient().GetModelAsync("no-such-model"));
        Assert.Equal(404, missing.Status);

        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(
            BinaryData.FromString("{\"a\":1}\n"), "data.jsonl", FileUploadPurpose.FineTune);
        Assert.Equal("data.jsonl", file.Filename);
        Assert.Equal(8, file.SizeInBytes);
        Assert.Equal(FilePurpose.FineTune, file.Purpose);
        Assert.StartsWith("multipart/form-data", server.LastRequest!.Header("content-type"), StringComparison.Ordinal);

        BinaryData speech = await client.GetAudioClient("tts-1").GenerateSpeechAsync("Hello there", OpenAI.Audio.GeneratedSpeechVoice.Alloy);
        Assert.Equal(FakeLlmServer.SpeechAudio.ToArray(), speech.ToArray());
        Assert.Equal("alloy", (string?)server.LastRequest!.ParseJsonBody()!["voice"]);
    }

    [Fact]
    public async Task Speech_RawRequest_ReturnsAudioMpegBytes()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server);

        using var response = await SendAsync(http, Post("/v1/audio/speech", """{"model":"tts-1","input":"hi","voice":"alloy"}"""));

        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeLlmServer.SpeechAudio.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RateLimitedFault_FirstRequest_Returns429WithRetryAfterThenSucceeds()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(7)));
        using var http = HttpClientFor(server);
        const string Body = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";

        using var limited = await http.SendAsync(Post("/v1/chat/completions", Body));
        using var next = await http.SendAsync(Post("/v1/chat/completions", Body));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        var error = (await ReadJsonAsync(limited))["error"]!;
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task FailNext_TwoServiceUnavailable_ThirdAnthropicRequestSucceeds()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.FailNext(2, FakeLlmFault.ServiceUnavailable());
        using var http = HttpClientFor(server, authorization: null);
        const string Body = """{"model":"claude-3-5-haiku-20241022","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""";

        var statuses = new List<HttpStatusCode>();
        JsonNode? firstError = null;
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.SendAsync(AnthropicPost("/v1/messages", Body));
            statuses.Add(response.StatusCode);
            firstError ??= await ReadJsonAsync(response);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Equal("error", (string?)firstError!["type"]);
        Assert.Equal("overloaded_error", (string?)firstError["error"]!["type"]);
    }

    [Fact]
    public async Task DropStreamFault_AfterTwoEvents_ClientSeesTruncatedStream()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.FailNext(1, FakeLlmFault.DropStreamAfter(2));
        using var http = HttpClientFor(server);

        using var response = await SendAsync(http, Post("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        var received = new List<SseEvent>();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var e in ReadEventsAsync(await response.Content.ReadAsStreamAsync()))
            {
                received.Add(e);
            }
        });

        Assert.Equal(2, received.Count);
        Assert.DoesNotContain(received, static e => e.Data == "[DONE]");
        var request = await server.WaitForRequestAsync(static r => r.Outcome == FakeLlmRequestOutcome.DroppedByFault, s_timeout);
        Assert.False(request.WasCancelled);
    }

    [Fact]
    public async Task ResetConnectionFault_NextRequest_FailsWithoutResponse()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.FailNext(1, FakeLlmFault.ResetConnection());
        using var http = HttpClientFor(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("/v1/models", UriKind.Relative)));
        using var next = await http.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task FirstByteDelay_Set_DelaysResponseHeaders()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.FirstByteDelay = TimeSpan.FromMilliseconds(400);
        using var http = HttpClientFor(server);

        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri("/v1/models", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"Headers arrived after {watch.Elapsed}.");
    }

    [Fact]
    public async Task Auth_MissingCredentials_Return401InEachProvidersShape()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server, authorization: null);

        using var openAi = await http.SendAsync(Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[]}"""));
        using var azure = await http.SendAsync(Post("/openai/deployments/d1/chat/completions?api-version=2024-10-21", """{"messages":[]}"""));
        var anthropicRequest = Post("/v1/messages", """{"model":"m","max_tokens":1,"messages":[]}""");
        anthropicRequest.Headers.Add("anthropic-version", "2023-06-01");
        using var anthropic = await http.SendAsync(anthropicRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, openAi.StatusCode);
        var openAiError = (await ReadJsonAsync(openAi))["error"]!;
        Assert.Equal("invalid_request_error", (string?)openAiError["type"]);
        Assert.Contains("didn't provide an API key", (string?)openAiError["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, azure.StatusCode);
        Assert.Equal("401", (string?)(await ReadJsonAsync(azure))["error"]!["code"]);
        Assert.Equal(HttpStatusCode.Unauthorized, anthropic.StatusCode);
        var anthropicError = await ReadJsonAsync(anthropic);
        Assert.Equal("error", (string?)anthropicError["type"]);
        Assert.Equal("authentication_error", (string?)anthropicError["error"]!["type"]);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Auth_WrongExpectedKeyOrMissingAnthropicVersion_IsRejected()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ExpectedOpenAiApiKey = "sk-right-key-1234";
        using var wrongKey = HttpClientFor(server, authorization: "sk-wrong-key-9999");
        using var rightKey = HttpClientFor(server, authorization: "sk-right-key-1234");
        using var anthropic = HttpClientFor(server, authorization: null);
        var noVersion = Post("/v1/messages", """{"model":"m","max_tokens":1,"messages":[]}""");
        noVersion.Headers.Add("x-api-key", "sk-ant");

        using var rejected = await wrongKey.GetAsync(new Uri("/v1/models", UriKind.Relative));
        using var accepted = await rightKey.GetAsync(new Uri("/v1/models", UriKind.Relative));
        using var versionless = await anthropic.SendAsync(noVersion);

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("invalid_api_key", (string?)(await ReadJsonAsync(rejected))["error"]!["code"]);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, versionless.StatusCode);
        Assert.Equal("invalid_request_error", (string?)(await ReadJsonAsync(versionless))["error"]!["type"]);
    }

    [Fact]
    public async Task Recorder_AnyRequest_CapturesMethodPathQueryHeadersAndBodyBytes()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var http = HttpClientFor(server, authorization: null);
        byte[] body = [0, 1, 2, 255, 10];
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/custom/pass-through?x=1&y=two", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Headers.Add("X-Trace-Id", "trace-123");

        using var response = await http.SendAsync(request);
        var recorded = await server.WaitForRequestAsync(1, s_timeout);

        Assert.Same(recorded, server.LastRequest);
        Assert.Equal("PUT", recorded.Method);
        Assert.Equal("/custom/pass-through", recorded.Path);
        Assert.Equal("?x=1&y=two", recorded.QueryString);
        Assert.Equal("two", recorded.Query("y"));
        Assert.Equal("trace-123", recorded.Header("x-trace-id"));
        Assert.Equal(body, recorded.Body.ToArray());
        var echo = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("echo", (string?)echo["object"]);
        Assert.Equal("PUT", (string?)echo["method"]);
        Assert.Equal("/custom/pass-through", (string?)echo["path"]);
        Assert.Equal("?x=1&y=two", (string?)echo["query"]);
    }

    [Fact]
    public async Task WaitForRequest_NoMatchingRequest_ThrowsTimeout()
    {
        await using var server = await FakeLlmServer.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForRequestAsync(static r => r.Path == "/never", TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Streaming_ClientDisconnectsMidStream_MarksRequestCancelled()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Behavior.ResponseText = "one two three four five six seven eight nine ten";
        server.Behavior.ChunkDelay = TimeSpan.FromMilliseconds(300);

        using (var http = HttpClientFor(server))
        {
            using var response = await SendAsync(http, Post("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"count"}]}"""));
            await using var stream = await response.Content.ReadAsStreamAsync();
            await foreach (var first in ReadEventsAsync(stream))
            {
                Assert.Contains("chat.completion.chunk", first.Data, StringComparison.Ordinal);
                break;
            }
        }

        var cancelled = await server.WaitForCancelledRequestAsync(s_timeout);

        Assert.Equal(FakeLlmRequestOutcome.ClientDisconnected, cancelled.Outcome);
        Assert.Equal(1, server.CancelledRequestCount);
    }

    private static OpenAIClient OpenAiClient(FakeLlmServer server, string apiKey = "sk-test")
        => new(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseUrl, "/v1"),
            // Retries would hide what the fake answered to the first request.
            RetryPolicy = new ClientRetryPolicy(0),
        });

    private static HttpClient HttpClientFor(FakeLlmServer server, string? authorization = "sk-test")
    {
        var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = s_timeout };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", authorization);
        }

        return http;
    }

    private static HttpRequestMessage Post(string path, string json) => new(HttpMethod.Post, new Uri(path, UriKind.Relative))
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };

    private static HttpRequestMessage AnthropicPost(string path, string json)
    {
        var request = Post(path, json);
        request.Headers.Add("x-api-key", "sk-ant-test");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    /// <summary>Sends, returning as soon as headers arrive, and fails on a non-success status.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"{(int)response.StatusCode}: {body}");
        }

        return response;
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<List<SseEvent>> ReadAllEventsAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        await foreach (var e in ReadEventsAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A minimal SSE parser: <c>event:</c> and <c>data:</c> lines, events separated by a blank line.</summary>
    private static async IAsyncEnumerable<SseEvent> ReadEventsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? eventName = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new SseEvent(eventName, data.ToString());
                }

                eventName = null;
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
    }

    private sealed record SseEvent(string? Event, string Data);
}
