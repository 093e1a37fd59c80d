using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Domain.Tests.Usage.Compression;

/// <summary><c>UsageTransport__Compression</c>: gzip by default, none on request, anything else refused at startup naming the setting.</summary>
public sealed class UsageCompressionOptionsTests
{
    [Theory]
    [InlineData(null, UsageCompression.Gzip)]
    [InlineData("gzip", UsageCompression.Gzip)]
    [InlineData("none", UsageCompression.None)]
    [InlineData("None", UsageCompression.None)]
    public async Task Bind_Setting_ChoosesTheEncodersCompression(string? value, UsageCompression expected)
    {
        await using var services = Services(value);

        Assert.Equal(expected, services.GetRequiredService<UsageBatchEncoder>().Compression);
        Assert.True(new UsageTransportOptionsValidator().Validate(null, Options(value)).Succeeded);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("1")]
    [InlineData("brotli")]
    public void Validate_UnknownCompression_FailsNamingTheSetting(string value)
    {
        var result = new UsageTransportOptionsValidator().Validate(null, Options(value));

        Assert.True(result.Failed);
        Assert.Contains($"The setting UsageTransport__Compression must be gzip or none; got '{value}'.", result.Failures);
    }

    [Fact]
    public void Bind_TransportKindBesideCompression_BothRead()
    {
        var options = Options("none", transport: "ServiceBus");

        Assert.Equal(UsageTransportKind.ServiceBus, options.Kind);
        Assert.Equal(UsageCompression.None, options.CompressionKind);
    }

    private static UsageTransportOptions Options(string? compression, string? transport = null)
    {
        var options = new UsageTransportOptions();
        options.Bind(Configuration(compression, transport));
        return options;
    }

    private static ServiceProvider Services(string? compression)
        => new ServiceCollection().AddGatewayUsageTransport(Configuration(compression, null)).BuildServiceProvider();

    private static IConfiguration Configuration(string? compression, string? transport)
        => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UsageTransport"] = transport,
            ["UsageTransport:Compression"] = compression,
        }).Build();
}
