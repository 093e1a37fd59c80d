using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Domain.Queues.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.ServiceBus;

public sealed class ServiceBusSasTokenProviderTests
{
    private const string Key = "k3y+with/base64=chars";

    [Fact]
    public void CreateToken_KnownInputs_MatchesDocumentedFormatWithIndependentHmac()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

        var token = ServiceBusSasTokenProvider.CreateToken("https://MyNs.servicebus.windows.net/Usage-Events/", "send-policy", Key, expiry);

        // Written out by hand: the lower-cased resource without its trailing slash, URL-encoded.
        const string EncodedResource = "https%3A%2F%2Fmyns.servicebus.windows.net%2Fusage-events";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key)); // the key string's bytes, not base64-decoded
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(EncodedResource + "\n1900000000")));
        var encodedSignature = signature.Replace("+", "%2B", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);
        Assert.Equal($"SharedAccessSignature sr={EncodedResource}&sig={encodedSignature}&se=1900000000&skn=send-policy", token);
    }

    [Fact]
    public void GetToken_FirstCall_ExpiresOneLifetimeFromNow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var provider = new ServiceBusSasTokenProvider("https://ns.servicebus.windows.net/q", "policy", Key, TimeSpan.FromHours(1), time);

        var expiry = Expiry(provider.GetToken());

        var expected = time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        Assert.InRange(expiry, expected, expected + 1);
    }

    [Fact]
    public void GetToken_BeforeRenewalMargin_ReturnsCachedToken()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var provider = new ServiceBusSasTokenProvider("https://ns.servicebus.windows.net/q", "policy", Key, TimeSpan.FromHours(1), time);
        var first = provider.GetToken();

        time.Advance(TimeSpan.FromMinutes(54));

        Assert.Same(first, provider.GetToken());
    }

    [Fact]
    public void GetToken_WithinRenewalMargin_MintsTokenExpiringLater()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var provider = new ServiceBusSasTokenProvider("https://ns.servicebus.windows.net/q", "policy", Key, TimeSpan.FromHours(1), time);
        var first = provider.GetToken();

        time.Advance(TimeSpan.FromMinutes(56)); // 4 minutes left: inside the 5-minute margin, not yet expired

        var renewed = provider.GetToken();
        Assert.NotEqual(first, renewed);
        Assert.Equal(Expiry(first) + 56 * 60, Expiry(renewed));
    }

    private static long Expiry(string token)
    {
        var se = token.Split('&').Single(part => part.StartsWith("se=", StringComparison.Ordinal));
        return long.Parse(se["se=".Length..], CultureInfo.InvariantCulture);
    }
}
