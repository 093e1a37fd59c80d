using Gateway.Domain.Queues.ServiceBus;

namespace Gateway.Domain.Tests.ServiceBus;

public sealed class ServiceBusOptionsValidatorTests
{
    private const string ConnectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=policy;SharedAccessKey=abc=";

    [Fact]
    public void Validate_ConnectionStringAndNamespaceBothSet_Fails()
    {
        var result = Validate(new ServiceBusOptions { ConnectionString = ConnectionString, FullyQualifiedNamespace = "ns.servicebus.windows.net", QueueName = "q" });

        Assert.True(result.Failed);
        Assert.Contains("exactly one", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NeitherConnectionStringNorNamespace_Fails()
    {
        Assert.True(Validate(new ServiceBusOptions { QueueName = "q" }).Failed);
    }

    [Fact]
    public void Validate_QueueFromEntityPath_Succeeds()
    {
        Assert.True(Validate(new ServiceBusOptions { ConnectionString = ConnectionString + ";EntityPath=usage" }).Succeeded);
    }

    [Fact]
    public void Validate_PlainHttpEndpointOffLoopback_Fails()
    {
        var result = Validate(new ServiceBusOptions { ConnectionString = ConnectionString, QueueName = "q", Endpoint = new Uri("http://10.1.2.3:8080/") });

        Assert.True(result.Failed);
        Assert.True(Validate(new ServiceBusOptions { ConnectionString = ConnectionString, QueueName = "q", Endpoint = new Uri("http://127.0.0.1:8080/") }).Succeeded);
    }

    [Fact]
    public void Validate_ConnectionStringWithoutKey_Fails()
    {
        var result = Validate(new ServiceBusOptions { ConnectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=policy", QueueName = "q" });

        Assert.True(result.Failed);
        Assert.Contains("SharedAccessKey", result.FailureMessage, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(ServiceBusOptions options) => new ServiceBusOptionsValidator().Validate(null, options);
}
