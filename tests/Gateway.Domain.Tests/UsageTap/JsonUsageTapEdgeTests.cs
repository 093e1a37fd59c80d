using System.Text;
using Gateway.Domain.Usage;
using Gateway.Testing;

namespace Gateway.Domain.Tests.UsageTap;

/// <summary>
/// What the tap distinguishes without decoding every name: escaped names, usage paths at any depth
/// (nested objects, arrays, a usage inside usage), names and text that are not valid UTF-8 (never
/// an exception), Reset, and its memory bounds.
/// </summary>
public sealed class JsonUsageTapEdgeTests
{
    [Fact]
    public void EscapedNames_AreTheNamesTheyDecodeTo()
    {
        var tap = Read("""
            {"m\u006fdel":"gpt-4o","ch\u006fices":[{"m\u0065ssage":{"c\u006fntent":"hi"}}],
             "us\u0061ge":{"prompt_tok\u0065ns":3,"prompt_tokens_d\u0065tails":{"c\u0061ched_tokens":2}}}
            """);

        Assert.Equal("gpt-4o", tap.Model);
        Assert.Equal("hi", tap.Text);
        Assert.Equal(3, tap.UsageNumbers["prompt_tokens"]);
        Assert.Equal(2, tap.UsageNumbers["prompt_tokens_details.cached_tokens"]);
    }

    [Fact]
    public void EscapedLookalikes_AndLongEscapedNames_AreOtherNames()
    {
        var tap = Read("""{"usag\u0065s":{"a":1},"\u0075\u0073\u0061\u0067\u0065\u0020\u0020\u0020\u0020":{"b":2},"usage":{"\u00e9t\u00e9":3}}""");

        Assert.Equal(new Dictionary<string, long> { ["été"] = 3 }, tap.UsageNumbers.ToDictionary());
    }

    [Fact]
    public void UsagePaths_NestedObjectsArraysAndUnknownKeys()
    {
        var tap = Read("""
            {"usage":{"a":{"b":{"c":1}},"list":[{"x":2},[{"y":3}],4],"flag":true,"name":"n","z":-5,"big":1e3,"frac":1.5,"d":{"e":6}}}
            """);

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["a.b.c"] = 1,
                ["d.e"] = 6,
                ["list.list.list.y"] = 3,
                ["list.list.x"] = 2,
                ["z"] = 0,
            },
            tap.UsageNumbers.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public void UsageInsideUsage_PathsAreBelowTheNearest_AndTheOuterResumesAfterIt()
    {
        var tap = Read("""{"usage":{"outer":{"usage":{"inner":1,"deep":{"x":2}},"after":3},"last":4},"message":{"usage":{"input_tokens":5}}}""");

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["deep.x"] = 2,
                ["inner"] = 1,
                ["input_tokens"] = 5,
                ["last"] = 4,
                ["outer.after"] = 3,
            },
            tap.UsageNumbers.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public void UsageArrayElements_AreUsageObjects_AndRepeatedPathsKeepTheLargest()
    {
        var tap = Read("""{"usage":[{"input_tokens":7},{"input_tokens":4}],"choices":[{"usage":{"input_tokens":9}}]}""");

        Assert.Equal(new Dictionary<string, long> { ["input_tokens"] = 9 }, tap.UsageNumbers.ToDictionary());
        Assert.False(tap.IsUsageOnlyChunk);
    }

    [Fact]
    public void DeepNesting_AndLongNamesBelowUsage_GrowTheirBuffers()
    {
        var longName = new string('n', 300);
        const int depth = 40;
        var json = new StringBuilder("{\"usage\":");
        json.Insert(json.Length, $"{{\"{longName}\":", depth).Append($"{{\"{longName}\":1}}").Append('}', depth + 1);

        var tap = Read(json.ToString());

        Assert.False(tap.Failed);
        var path = string.Join('.', Enumerable.Repeat(longName, depth + 1));
        Assert.Equal(1, tap.UsageNumbers[path]);
    }

    [Theory]
    [InlineData("""{"choices":[{"message":{"content":"ok\xff"}}],"usage":{"prompt_tokens":3}}""")]
    [InlineData("""{"choices":[{"message":{"content":"\ud83d"}}],"usage":{"prompt_tokens":3}}""")]
    [InlineData("""{"choices":[{"text":"\xc3\x28"}],"usage":{"prompt_tokens":3}}""")]
    public void TextThatIsNotValidText_IsSkipped_UsageAfterItIsRead(string json)
    {
        var tap = Read(json);

        Assert.False(tap.Failed);
        Assert.Equal("", tap.Text);
        Assert.Equal(3, tap.UsageNumbers["prompt_tokens"]);
    }

    [Theory]
    [InlineData("""{"usage":{"prompt_tokens":3,"bad\xff":1,"total_tokens":4}}""")]
    [InlineData("""{"usage":{"prompt_tokens":3,"\udc00":{"x":1},"total_tokens":4}}""")]
    public void NameBelowUsageThatIsNotValidText_FailsTheTap_KeepsWhatWasRead(string json)
    {
        var tap = Read(json);

        Assert.True(tap.Failed);
        Assert.Equal(new Dictionary<string, long> { ["prompt_tokens"] = 3 }, tap.UsageNumbers.ToDictionary());
    }

    [Fact]
    public void ModelThatIsNotValidText_IsNotReported_UsageIsRead()
    {
        var tap = Read("""{"model":"gpt\xff","usage":{"prompt_tokens":3}}""");

        Assert.False(tap.Failed);
        Assert.Null(tap.Model);
        Assert.Equal(3, tap.UsageNumbers["prompt_tokens"]);
    }

    [Fact]
    public void Reset_ClearsDocumentState_KeepsModel()
    {
        var tap = new JsonUsageTap();
        tap.Append("""{"model":"m","duration":2.5,"choices":[],"usage":{"prompt_tokens":1},"choices2":"#"""u8, isFinal: false);
        tap.Reset();

        tap.Append("""{"type":"ping"}"""u8, isFinal: true);

        Assert.False(tap.Failed);
        Assert.Empty(tap.UsageNumbers);
        Assert.Null(tap.Duration);
        Assert.False(tap.IsUsageOnlyChunk);
        Assert.Equal("m", tap.Model);
    }

    [Fact]
    public void Malformed_FailsWithoutThrowing_AndStaysFailedUntilReset()
    {
        var tap = new JsonUsageTap();

        tap.Append("""{"usage":{"prompt_tokens":2}, oops"""u8, isFinal: false);
        tap.Append("""{"usage":{"prompt_tokens":9}}"""u8, isFinal: true);

        Assert.True(tap.Failed);
        Assert.Equal(2, tap.UsageNumbers["prompt_tokens"]);
    }

    [Fact]
    public void TokenLargerThanTheCarryBound_FailsTheTap()
    {
        var tap = new JsonUsageTap();
        tap.Append("{\"choices\":[{\"text\":\""u8, isFinal: false);

        var piece = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
        for (var i = 0; i < 17 && !tap.Failed; i++)
        {
            tap.Append(piece, isFinal: false);
        }

        Assert.True(tap.Failed);
    }

    // \xNN in the literal is that raw byte (invalid UTF-8 on purpose).
    private static JsonUsageTap Read(string json)
    {
        var tap = new JsonUsageTap();
        tap.Append(RawBytes.From(json), isFinal: true);
        return tap;
    }
}
