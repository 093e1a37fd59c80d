using Gateway.Domain.Usage;

namespace Gateway.Domain.Tests.Performance;

/// <summary>
/// An SSE event without JSON (such as <c>data: [DONE]</c>) ends the tap with nothing read: that is
/// no document and no failure (it used to cost an exception per streamed response), while input
/// that is not JSON still fails the tap.
/// </summary>
public sealed class JsonUsageTapEmptyInputTests
{
    [Fact]
    public void FinalBlock_WithNothingRead_IsNotAFailure()
    {
        var tap = new JsonUsageTap();

        tap.Append([], isFinal: true);

        Assert.False(tap.Failed);
        Assert.Empty(tap.UsageNumbers);
        Assert.Null(tap.Text);
    }

    [Fact]
    public void AfterReset_ADocumentIsStillRead_AndGarbageStillFails()
    {
        var tap = new JsonUsageTap();
        tap.Append([], isFinal: true);
        tap.Reset();

        tap.Append("""{"usage":{"prompt_tokens":3,"completion_tokens":4}}"""u8, isFinal: true);
        Assert.False(tap.Failed);
        Assert.Equal(3, tap.UsageNumbers["prompt_tokens"]);

        tap.Reset();
        tap.Append("not json"u8, isFinal: true);
        Assert.True(tap.Failed);
    }

    [Fact]
    public void DocumentSplitAcrossChunks_ThenEmptyFinalBlock_IsRead()
    {
        var tap = new JsonUsageTap();

        tap.Append("""{"usage":{"prompt_"""u8, isFinal: false);
        tap.Append("""tokens":5}}"""u8, isFinal: false);
        tap.Append([], isFinal: true);

        Assert.False(tap.Failed);
        Assert.Equal(5, tap.UsageNumbers["prompt_tokens"]);
    }
}
