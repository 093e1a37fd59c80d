using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Hosting;

/// <summary>The one host.json shared by the three apps, against the isolated-worker contract.</summary>
public sealed class HostJsonTests
{
    private readonly JsonObject _host = FunctionAppContract.ReadJson(RepoPaths.Combine("host.json"));

    [Fact]
    public void HostJson_Version_Is2()
        => Assert.Equal("2.0", (string?)_host["version"]);

    [Fact]
    public void HostJson_NoExtensionBundleNorCustomHandler_TheIsolatedWorkerBringsItsExtensions()
    {
        Assert.Null(_host["extensionBundle"]);
        Assert.Null(_host["customHandler"]);
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
