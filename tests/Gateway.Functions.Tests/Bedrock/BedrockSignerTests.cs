using System.Text;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>
/// SigV4 through AWSSDK.Core, checked against the signed examples AWS publishes in "Signature
/// Calculations for the Authorization Header: Transferring Payload in a Single Chunk" (Amazon S3 API
/// reference): the same credentials, date, request and expected signature.
/// </summary>
public sealed class BedrockSignerTests
{
    private static readonly AwsCredentials Example = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime May24 = new(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Sign_GetObjectExample_MatchesAwsSignature()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");

        BedrockSigner.Sign(message, ReadOnlyMemory<byte>.Empty, Example, "us-east-1", "s3", May24, [new("Range", "bytes=0-9")]);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            Authorization(message));
        Assert.Equal("20130524T000000Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", message.Headers.GetValues("X-Amz-Content-SHA256").Single());
    }

    [Fact]
    public void Sign_ListObjectsExample_QueryIsCanonicalised()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2");

        BedrockSigner.Sign(message, ReadOnlyMemory<byte>.Empty, Example, "us-east-1", "s3", May24);

        Assert.EndsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7", Authorization(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_Body_IsHashedAsInThePutObjectExample()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke");

        BedrockSigner.Sign(message, Encoding.UTF8.GetBytes("Welcome to Amazon S3."), Example, "us-east-1", "bedrock", May24);

        // The payload hash AWS publishes for this body.
        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", message.Headers.GetValues("X-Amz-Content-SHA256").Single());
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=", Authorization(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_SessionToken_IsSentAndSigned()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke");

        BedrockSigner.Sign(message, "{}"u8.ToArray(), Example with { SessionToken = "session-token-1" }, "us-east-1", "bedrock", May24);

        Assert.Equal("session-token-1", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", Authorization(message), StringComparison.Ordinal);
        Assert.Contains("/20130524/us-east-1/bedrock/aws4_request", Authorization(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ModelIdWithColon_CanonicalPathEncodesTheEscapedSegmentAgain()
    {
        // On the wire v1:0 is v1%3A0; SigV4 (every service but S3) signs it encoded once more, v1%253A0.
        // The expected signature was computed outside the SDK from AWS's documented algorithm with that
        // canonical URI; a signer that hands the SDK the escaped path signs v1%25253A0 and Bedrock refuses it.
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke");

        BedrockSigner.Sign(message, """{"anthropic_version":"bedrock-2023-05-31"}"""u8.ToArray(), Example, "us-east-1", "bedrock", May24);

        Assert.Equal("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke", message.RequestUri!.AbsolutePath);
        Assert.EndsWith("Signature=00fbd287d999baba57e97ba593eac39547d86286c6d3c1a9668db0328d2075ef", Authorization(message), StringComparison.Ordinal);
    }

    private static string Authorization(HttpRequestMessage message) => message.Headers.GetValues("Authorization").Single();
}
