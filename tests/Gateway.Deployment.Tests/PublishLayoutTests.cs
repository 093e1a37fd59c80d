using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Deployment.Tests;

/// <summary>Each app's publish output is a complete isolated-worker function app whose executable starts and serves.</summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class PublishLayoutTests(PublishedApps published)
{
    public static TheoryData<string> Apps => [.. PublishedApps.Apps];

    [Theory]
    [MemberData(nameof(Apps))]
    public void Publish_HostJson_IsTheSharedRootFile(string app)
        => Assert.Equal(File.ReadAllText(RepoPaths.Combine("host.json")), File.ReadAllText(Path.Combine(published.Folder(app), "host.json")));

    [Theory]
    [MemberData(nameof(Apps))]
    public void Publish_FunctionsMetadata_ListsTheBuiltFunctions(string app)
    {
        var expected = FunctionAppContract.LoadFunctions(app).Select(f => f.Name).Order().ToList();
        Assert.NotEmpty(expected);
        var published = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(app), "functions.metadata")))!.AsArray()
            .Select(f => (string)f!["name"]!)
            .Order()
            .ToList();
        Assert.Equal(expected, published);
        Assert.False(Directory.Exists(Path.Combine(Folder(app), "health")), "no function.json folders remain");
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Publish_AzureFunctionsFolder_HoldsTheHostSideExtensions(string app)
    {
        var extensions = Path.Combine(Folder(app), ".azurefunctions");
        Assert.True(Directory.Exists(extensions), ".azurefunctions/ missing");
        Assert.NotEmpty(Directory.GetFiles(extensions, "*.dll"));
        Assert.True(File.Exists(Path.Combine(extensions, "extensions.json")) || File.Exists(Path.Combine(Folder(app), "extensions.json")), "extensions.json missing");
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Publish_WorkerConfig_StartsTheSelfContainedLinuxExecutable(string app)
    {
        var folder = Folder(app);
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", (string?)description["language"]);
        var executablePath = (string)description["defaultExecutablePath"]!;
        Assert.EndsWith(app, executablePath, StringComparison.Ordinal);
        var executable = Path.Combine(folder, app);
        Assert.True(File.Exists(executable), $"{app} missing in the publish output");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the executable must be executable");
        var elf = File.ReadAllBytes(executable).AsSpan(0, 4).ToArray();
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, elf);

        // Self-contained: the runtime ships in the folder, so the host image's .NET version does not matter.
        Assert.True(File.Exists(Path.Combine(folder, "libcoreclr.so")), "libcoreclr.so missing: not self-contained");
        Assert.True(File.Exists(Path.Combine(folder, "libhostfxr.so")), "libhostfxr.so missing: not self-contained");
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, app + ".runtimeconfig.json")))!;
        Assert.NotNull(runtimeConfig["runtimeOptions"]!["includedFrameworks"]);
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public async Task Publish_ExecutableInLocalMode_StartsAndAnswersHealth(string app)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = TestEnvironment.PostgresAdminConnectionString,
            ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis__KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["Admin__Secret"] = "deployment-test-secret",
            ["Encryption__Key"] = Convert.ToBase64String(new byte[32]),
            ["UsageConsumer__Enabled"] = "false",
            ["ConfigRefresh__RunOnStartup"] = "false",
        };
        var outcome = await Infra.HandlerProcess.StartAndProbeHealthAsync(Path.Combine(Folder(app), app), Folder(app), settings, TimeSpan.FromSeconds(60));
        Assert.True(outcome.Answered, $"{app} did not answer /api/health:\n{outcome.Output}");
        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.Equal("Healthy", (string?)JsonNode.Parse(outcome.Body)!["checks"]!["redis"]);
    }

    private string Folder(string app) => published.Folder(app);
}
