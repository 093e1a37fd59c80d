using System.Text;
using Gateway.Domain.Caching;

namespace Gateway.Domain.Tests.Caching;

public sealed class CanonicalRequestTests
{
    private const string Path = "v1/chat/completions";

    private static byte[]? Digest(string body, string provider = "openai", string? model = "gpt-4o", string? deployment = null, string path = Path)
        => CanonicalRequest.Digest(provider, model, deployment, path, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Digest_KeyOrderAndVolatileFields_DoNotChangeIt()
    {
        var a = Digest("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0}""");
        var b = Digest("""{"temperature":0,"stream":true,"stream_options":{"include_usage":true},"user":"u-1","metadata":{"user_id":"x"},"messages":[{"content":"hi","role":"user"}],"model":"gpt-4o"}""");

        Assert.NotNull(a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.1}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi!"}],"temperature":0}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0,"max_tokens":5}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0,"seed":1}""")]
    public void Digest_AnyParameterChange_ChangesIt(string changed)
    {
        var original = Digest("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0}""");

        Assert.NotEqual(original, Digest(changed));
    }

    [Fact]
    public void Digest_ProviderModelDeploymentAndPath_AreAllPartOfIt()
    {
        const string body = """{"messages":[{"role":"user","content":"hi"}],"temperature":0}""";
        var baseline = Digest(body);
        var others = new[]
        {
            Digest(body, provider: "azure"),
            Digest(body, model: "gpt-4o-mini"),
            Digest(body, deployment: "d1"),
            Digest(body, path: "v1/completions"),
            // Length-prefixed fields: moving a character from one field to the next is a different request.
            Digest(body, provider: "openaig", model: "pt-4o"),
        };

        foreach (var other in others)
        {
            Assert.NotEqual(baseline, other);
        }
    }

    [Fact]
    public void Digest_NestedVolatileNames_AreKept()
    {
        // Only top-level stream/user/metadata are transport; a tool parameter named "user" is content.
        var a = Digest("""{"tools":[{"function":{"parameters":{"user":1}}}]}""");
        var b = Digest("""{"tools":[{"function":{"parameters":{"user":2}}}]}""");

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    [InlineData("""{"a":1""")]
    public void Digest_NotAJsonObject_IsNull(string body)
    {
        Assert.Null(Digest(body));
    }

    [Theory]
    [InlineData("""{"temperature":0}""", true)]
    [InlineData("""{"temperature":0.0}""", true)]
    [InlineData("""{"temperature":0.7}""", false)]
    [InlineData("""{"temperature":0.7,"seed":42}""", true)]
    [InlineData("""{"seed":null}""", false)]
    [InlineData("""{}""", false)]
    [InlineData("""{"temperature":"0"}""", false)]
    public void Digest_Repeatable_IsTemperatureZeroOrASeed(string body, bool expected)
    {
        CanonicalRequest.Digest("openai", "gpt-4o", null, Path, Encoding.UTF8.GetBytes(body), out var repeatable);

        Assert.Equal(expected, repeatable);
    }

    [Fact]
    public void CanonicalJson_SortsKeysAtEveryDepth()
    {
        var canonical = CanonicalRequest.CanonicalJson("""{"b":{"z":1,"a":[{"y":2,"x":3}]},"a":0,"stream":true}"""u8);

        Assert.Equal("""{"a":0,"b":{"a":[{"x":3,"y":2}],"z":1}}""", canonical);
    }
}
