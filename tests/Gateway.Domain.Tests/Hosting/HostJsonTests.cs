using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Hosting;

/// <summary>The one host.json shared by the three apps, against the custom-handler contract.</summary>
public sealed class HostJsonTests
{
    private readonly JsonObject _host = FunctionAppContract.ReadJson(RepoPaths.Combine("host.json"));

    [Fact]
    public void HostJson_Version_Is2()
        => Assert.Equal("2.0", (string?)_host["version"]);

    [Fact]
    public void HostJson_ExtensionBundle_IsV4Range()
    {
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)_host["extensionBundle"]!["id"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)_host["extensionBundle"]!["version"]);
    }

    [Fact]
    public void HostJson_CustomHandler_ProxiesHttpToTheSharedHandlerName()
    {
        var handler = _host["customHandler"]!;
        Assert.True((bool)handler["enableProxyingHttpRequest"]!);
        Assert.Equal("handler", (string?)handler["description"]!["defaultExecutablePath"]);
    }

    [Fact]
    public void HostJson_RoutePrefix_MakesPublicPathsStartWithApi()
        => Assert.Equal("/api", FunctionAppContract.HostRoutePrefix());

    [Fact]
    public void HostJson_HoldsNoSecrets()
    {
        var text = File.ReadAllText(RepoPaths.Combine("host.json"));
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey", text, StringComparison.OrdinalIgnoreCase);
    }
}
