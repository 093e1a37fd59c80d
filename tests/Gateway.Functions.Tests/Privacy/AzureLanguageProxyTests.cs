using System.Net;
using System.Text.Json.Nodes;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.AzureLanguage;

namespace Gateway.Functions.Tests.Privacy;

/// <summary>Policies naming cloud-only entities through the proxy, with Azure AI Language answering, or too slow (failOpen true/false).</summary>
public sealed class AzureLanguageProxyTests : IAsyncLifetime
{
    private FakeAzureLanguageServer _language = null!;
    private ProxyTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _language = await FakeAzureLanguageServer.StartAsync();
        _language.Persons.Add("Jane Doe");
        _host = new ProxyTestHost(new()
        {
            ["Privacy:AzureLanguageEndpoint"] = _language.Endpoint.ToString(),
            ["Privacy:AzureLanguageKey"] = _language.Key,
            ["Privacy:DetectorTimeout"] = "00:00:00.500",
        });
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _language.DisposeAsync();
    }

    [Fact]
    public async Task Name_RedactedUpstream_ByAzureLanguage()
    {
        var (_, raw) = await KeyAsync(failOpen: true, PiiActions.Redact);
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Write to Jane Doe at jane@example.com"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Write to [NAME_1] at [EMAIL_1]", (string?)_host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]);
    }

    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.ServiceUnavailable)]
    public async Task DetectorTimeout_FailOpenForwards_FailClosedRefuses(bool failOpen, HttpStatusCode expected)
    {
        _language.Delay = TimeSpan.FromSeconds(10);
        var (key, raw) = await KeyAsync(failOpen, PiiActions.Block);
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Write to Jane Doe at jane@example.com"}]}"""));

        Assert.Equal(expected, response.StatusCode);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        if (failOpen)
        {
            // The local detector still ran: the e-mail is redacted although the name could not be checked.
            Assert.Equal("Write to Jane Doe at [EMAIL_1]", (string?)_host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]);
            Assert.Equal("redacted", usage.Action);
        }
        else
        {
            Assert.Empty(_host.Upstream.Requests);
            Assert.Contains("PII detection is unavailable", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"], StringComparison.Ordinal);
            Assert.Equal("blocked", usage.Action);
        }
    }

    private async Task<(ApiKey Key, string Raw)> KeyAsync(bool failOpen, string nameAction)
    {
        var policy = new Policy
        {
            Id = Guid.NewGuid().ToString(),
            Config = new PolicyConfig { Rules = new() { [PiiEntity.Name] = nameAction, [PiiEntity.Email] = PiiActions.Redact } },
            FailOpen = failOpen,
        };
        await new ConfigCacheWriter(_host.Redis).UpsertAsync(policy);
        await _host.WaitUntilAsync(s => s.PoliciesById.ContainsKey(policy.Id));
        return await _host.AddKeyAsync(k => k.PolicyId = policy.Id, await _host.AddSettingAsync());
    }
}
