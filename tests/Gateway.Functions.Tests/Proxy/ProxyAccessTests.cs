using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Users;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>Authentication, authorization and limits on the proxy path, and the error shapes they answer with.</summary>
public sealed class ProxyAccessTests : IAsyncLifetime
{
    private const string ChatPath = "/api/providers/openai/v1/chat/completions";
    private readonly ProxyTestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("api-key")]
    [InlineData("Authorization")]
    public async Task GatewayKey_EachSdkHeader_AuthenticatesAndIsNotForwarded(string header)
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient();
        using var request = Chat("gpt-4o");
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + raw : raw);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _host.Upstream.LastRequest!;
        Assert.Null(received.Header("x-api-key"));
        Assert.Null(received.Header("api-key"));
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
    }

    [Fact]
    public async Task RevokedKey_Gets401AndNoUpstreamCall()
    {
        var (_, raw) = await _host.AddKeyAsync(k => k.Revoked = true, await _host.AddSettingAsync());
        await AssertRejectedAsync(raw, Chat("gpt-4o"), 401, "revoked");
    }

    [Fact]
    public async Task KeyPastTtl_Gets401()
    {
        var (_, raw) = await _host.AddKeyAsync(k => { k.CreatedAt = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeSeconds(); k.Limits.Ttl = "5s"; }, await _host.AddSettingAsync());
        await AssertRejectedAsync(raw, Chat("gpt-4o"), 401, "expired");
    }

    [Fact]
    public async Task KeyWithinTtl_Passes()
    {
        var (_, raw) = await _host.AddKeyAsync(k => k.Limits.Ttl = "1h", await _host.AddSettingAsync());
        using var response = await SendAsync(raw, Chat("gpt-4o"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AllowedPaths_OtherPath_Gets403AndListedPathPasses()
    {
        var (_, raw) = await _host.AddKeyAsync(k => k.Limits.AllowedPaths = [new AllowedPath("/api/providers/openai/v1/embeddings", "POST")], await _host.AddSettingAsync());

        await AssertRejectedAsync(raw, Chat("gpt-4o"), 403, "path is not allowed");
        using var ok = await SendAsync(raw, Json("/api/providers/openai/v1/embeddings", """{"model":"text-embedding-3-small","input":"x"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task UnknownOpenAiPath_NotInAllowedPaths_Gets404_AndListedOnePassesThrough()
    {
        var setting = await _host.AddSettingAsync();
        var (_, plain) = await _host.AddKeyAsync(null, setting);
        await AssertRejectedAsync(plain, Json("/api/providers/openai/v1/brand_new_api", "{}"), 404, "not a known openai endpoint");

        var (_, allowed) = await _host.AddKeyAsync(k => k.Limits.AllowedPaths = [new AllowedPath("/api/providers/openai/v1/brand_new_api", "POST")], setting);
        using var response = await SendAsync(allowed, Json("/api/providers/openai/v1/brand_new_api", "{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1/brand_new_api", _host.Upstream.LastRequest!.Path);
    }

    [Fact]
    public async Task NoSettingOfThisProvider_Gets403InAnthropicShape()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync("openai"));
        using var response = await SendAsync(raw, Json("/api/providers/anthropic/v1/messages", """{"model":"claude-3-5-sonnet-latest","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal("permission_error", (string?)body["error"]!["type"]);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task AllowedModels_OtherModel_Gets403AndListedModelPasses()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync(allowedModels: ["gpt-4o"]));

        await AssertRejectedAsync(raw, Chat("gpt-3.5-turbo"), 403, "model is not allowed");
        using var ok = await SendAsync(raw, Chat("gpt-4o"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task RateLimit_200ConcurrentRequestsLimit20_Exactly20Pass()
    {
        var (_, raw) = await _host.AddKeyAsync(k => { k.Limits.RateLimitOverTime = 20; k.Limits.RateLimitUnit = "d"; }, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await client.SendAsync(Chat("gpt-4o"));
            return (response.StatusCode, response.Headers.RetryAfter);
        }));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(180, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.True(r.RetryAfter?.Delta > TimeSpan.Zero));
        Assert.Equal(20, _host.Upstream.Requests.Count);
    }

    [Fact]
    public async Task SpendLimit_TotalSpendReached_Gets429WithoutUpstreamCall()
    {
        var (key, raw) = await _host.AddKeyAsync(k => k.Limits.CostLimitInUsd = 0.5m, await _host.AddSettingAsync());
        var redis = await _host.Redis.GetDatabaseAsync();
        await redis.StringSetAsync(_host.Prefix + SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId), SpendCounterKeys.ToNanoDollars(0.5m) - 1);

        using (var below = await SendAsync(raw, Chat("gpt-4o")))
        {
            Assert.Equal(HttpStatusCode.OK, below.StatusCode);
        }

        await redis.StringIncrementAsync(_host.Prefix + SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId), 1);
        _host.Upstream.ClearRequests();
        await AssertRejectedAsync(raw, Chat("gpt-4o"), 429, "spend limit");
    }

    [Fact]
    public async Task SpendLimitPerDay_WindowSpendReached_Gets429WithRetryAfterUntilWindowEnd()
    {
        var (key, raw) = await _host.AddKeyAsync(k => { k.Limits.CostLimitInUsdOverTime = 1m; k.Limits.CostLimitInUsdUnit = "d"; }, await _host.AddSettingAsync());
        var (start, end) = LimitUnit.Day.Window(DateTimeOffset.UtcNow);
        var redis = await _host.Redis.GetDatabaseAsync();
        await redis.StringSetAsync(_host.Prefix + SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, key.KeyId, LimitUnit.Day, start), SpendCounterKeys.ToNanoDollars(1m));

        using var response = await SendAsync(raw, Chat("gpt-4o"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), end - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task EndUser_MatchingUserWithRateLimit_LimitsThatUserOnly()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var user = new User { Id = Guid.NewGuid().ToString(), UserId = "end-user-7", KeyIds = [key.KeyId], Limits = { RateLimitOverTime = 1, RateLimitUnit = "d" }, CreatedAt = now, UpdatedAt = now };
        await new Gateway.Domain.Config.ConfigCacheWriter(_host.Redis).UpsertAsync(user);
        await _host.WaitUntilAsync(s => s.UsersById.ContainsKey(user.Id));

        using (var first = await SendAsync(raw, Chat("gpt-4o", user: "end-user-7")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await SendAsync(raw, Chat("gpt-4o", user: "end-user-7")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        using var otherUser = await SendAsync(raw, Chat("gpt-4o", user: "someone-else"));
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
        var usageEvent = await _host.Events.WaitForAsync(e => e.UserId == "someone-else");
        Assert.Equal(key.KeyId, usageEvent.KeyId);
    }

    [Fact]
    public async Task EndUser_MatchedOnceInTheProxy_EventCarriesTheMatchedRowId()
    {
        var (key, raw) = await _host.AddKeyAsync(k => k.Tags = ["team-a"], await _host.AddSettingAsync());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var byTags = new User { Id = Guid.NewGuid().ToString(), UserId = "end-user-9", Tags = ["team-a", "eu"], CreatedAt = now, UpdatedAt = now };
        var byKey = new User { Id = Guid.NewGuid().ToString(), UserId = "end-user-9", KeyIds = [key.KeyId], CreatedAt = now, UpdatedAt = now };
        var writer = new Gateway.Domain.Config.ConfigCacheWriter(_host.Redis);
        await writer.UpsertAsync(byTags);
        await writer.UpsertAsync(byKey);
        await _host.WaitUntilAsync(s => s.UsersById.ContainsKey(byTags.Id) && s.UsersById.ContainsKey(byKey.Id));

        using (var response = await SendAsync(raw, Chat("gpt-4o", user: "end-user-9")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var unmatched = await SendAsync(raw, Chat("gpt-4o", user: "nobody")))
        {
            Assert.Equal(HttpStatusCode.OK, unmatched.StatusCode);
        }

        // The user naming the key wins over the one matching by tags; no row → no id.
        Assert.Equal(byKey.Id, (await _host.Events.WaitForAsync(e => e.UserId == "end-user-9")).EndUserId);
        Assert.Null((await _host.Events.WaitForAsync(e => e.UserId == "nobody")).EndUserId);
    }

    [Fact]
    public async Task RevokedEndUser_Gets401()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var user = new User { Id = Guid.NewGuid().ToString(), UserId = "blocked-user", KeyIds = [key.KeyId], Revoked = true };
        await new Gateway.Domain.Config.ConfigCacheWriter(_host.Redis).UpsertAsync(user);
        await _host.WaitUntilAsync(s => s.UsersById.ContainsKey(user.Id));

        await AssertRejectedAsync(raw, Chat("gpt-4o", user: "blocked-user"), 401, "user has been revoked");
    }

    [Theory]
    [InlineData("x-request-timeout", "soon", "x-request-timeout")]
    [InlineData("X-METADATA", "not json", "X-METADATA")]
    [InlineData("X-METADATA", "[1,2]", "X-METADATA")]
    public async Task BadGatewayHeader_Gets400NamingIt(string header, string value, string named)
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var request = Chat("gpt-4o");
        request.Headers.TryAddWithoutValidation(header, value);
        await AssertRejectedAsync(raw, request, 400, named);
    }

    [Fact]
    public async Task NonJsonBody_Gets400()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        await AssertRejectedAsync(raw, Json(ChatPath, "{\"model\": "), 400, "not a JSON object");
    }

    [Fact]
    public async Task MissingKey_Gets401()
    {
        using var client = _host.CreateClient();
        using var response = await client.SendAsync(Chat("gpt-4o"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("401", (string?)body["error"]!["code"]);
    }

    [Fact]
    public async Task KeyChangedThroughConfigCache_RevocationTakesEffectWithinOneSecond()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using (var before = await SendAsync(raw, Chat("gpt-4o")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        key.Revoked = true;
        key.UpdatedAt++;
        await _host.UpdateKeyAsync(key);
        await Eventually.AssertAsync(() => _host.Config.Current.KeysById[key.KeyId].Revoked, TimeSpan.FromSeconds(1), "revocation reaches the proxy");

        using var after = await SendAsync(raw, Chat("gpt-4o"));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Cors_PreflightFromAnyOrigin_Answers204AndReflectsOrigin()
    {
        using var client = _host.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, ChatPath);
        preflight.Headers.TryAddWithoutValidation("Origin", "https://app.example");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Cors_RequestWithOrigin_ResponseReflectsOrigin()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var request = Chat("gpt-4o");
        request.Headers.TryAddWithoutValidation("Origin", "https://app.example");

        using var response = await SendAsync(raw, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    internal static HttpRequestMessage Chat(string model, string? user = null, bool stream = false)
    {
        var userPart = user is null ? string.Empty : $",\"user\":\"{user}\"";
        var streamPart = stream ? ",\"stream\":true" : string.Empty;
        return Json(ChatPath, $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hello there\"}}]{userPart}{streamPart}}}");
    }

    internal static HttpRequestMessage Json(string path, string body)
        => new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private async Task<HttpResponseMessage> SendAsync(string raw, HttpRequestMessage request)
    {
        using var client = _host.CreateClient(raw);
        using (request)
        {
            return await client.SendAsync(request);
        }
    }

    private async Task AssertRejectedAsync(string raw, HttpRequestMessage request, int status, string messagePart)
    {
        var upstreamBefore = _host.Upstream.Requests.Count;
        using var response = await SendAsync(raw, request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        var message = (string?)body["error"]!["message"];
        Assert.Contains(messagePart, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, _host.Upstream.Requests.Count);
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
