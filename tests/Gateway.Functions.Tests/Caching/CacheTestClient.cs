using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Domain.Caching;
using Gateway.Functions.Tests.Proxy;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Functions.Tests.Caching;

/// <summary>Raw HTTP through the proxy with the cache header, and what the cache stored in Redis.</summary>
internal static class CacheTestClient
{
    public const string ChatPath = "/api/providers/openai/v1/chat/completions";
    public const string MessagesPath = "/api/providers/anthropic/v1/messages";

    /// <summary>An answer; <paramref name="Chunked"/>: sent with chunked transfer encoding, without a Content-Length.</summary>
    public sealed record Answer(HttpStatusCode Status, string? Cached, string Body, string? ContentType, bool Chunked = false);

    public static async Task<Answer> PostAsync(Uri baseAddress, string rawKey, string path, string body, string? mode = null, bool anthropic = false)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (anthropic)
        {
            request.Headers.Add("x-api-key", rawKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        }

        if (mode is not null)
        {
            request.Headers.Add(CacheModes.Header, mode);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var cached = response.Headers.TryGetValues(CacheModes.AnswerHeader, out var values) ? values.Single() : null;
        return new Answer(response.StatusCode, cached, text, response.Content.Headers.ContentType?.MediaType, response.Headers.TransferEncodingChunked == true);
    }

    public static string Chat(string content, double? temperature = 0, string model = "gpt-4o", bool stream = false, string extra = "")
    {
        var temp = temperature is { } t ? $",\"temperature\":{t.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;
        var streaming = stream ? ",\"stream\":true" : string.Empty;
        return $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}]{temp}{streaming}{extra}}}";
    }

    /// <summary>The text pieces of an SSE answer: OpenAI <c>delta.content</c> or Anthropic <c>text_delta</c>, in order.</summary>
    public static List<string> DeltaTexts(string sse)
    {
        var texts = new List<string>();
        foreach (var line in sse.Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            using var document = JsonDocument.Parse(line[6..]);
            var root = document.RootElement;
            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                texts.Add(content.GetString()!);
            }
            else if (root.TryGetProperty("delta", out var delta) && delta.TryGetProperty("text", out var text))
            {
                texts.Add(text.GetString()!);
            }
        }

        return texts;
    }

    /// <summary>Every response cache entry under the test's Redis prefix, with its TTL.</summary>
    public static async Task<List<(RedisKey Key, byte[] Value, TimeSpan? Ttl)>> EntriesAsync(string prefix)
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(Gateway.Testing.TestEnvironment.RedisConnectionString);
        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);
        var db = multiplexer.GetDatabase();
        var entries = new List<(RedisKey, byte[], TimeSpan?)>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "cache:*"))
        {
            entries.Add((key, (byte[])(await db.StringGetAsync(key))!, await db.KeyTimeToLiveAsync(key)));
        }

        return entries;
    }

    /// <summary>Waits until the proxy stored <paramref name="count"/> answers (the store ends the miss's response, but a streaming SDK may return at [DONE]).</summary>
    public static Task UntilStoredAsync(ProxyTestHost host, long count)
    {
        var metrics = host.App.Services.GetRequiredService<ResponseCacheMetrics>();
        return Gateway.Testing.Eventually.AssertAsync(() => metrics.Stored >= count, TimeSpan.FromSeconds(5), $"{count} answers stored");
    }
}
