using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// scripts/publish.sh's zips are what zip deploy uploads: the function-app layout at the zip's
/// root, the worker executable (Unix mode kept), and an executable that starts from the extracted zip.
/// </summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class PublishZipTests(PublishedApps published)
{
    public static TheoryData<string> Apps => [.. PublishedApps.Apps];

    [Theory]
    [MemberData(nameof(Apps))]
    public void Zip_Root_IsTheFunctionAppFolder(string app)
    {
        using var zip = ZipFile.OpenRead(published.Zip(app));
        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, StringComparer.Ordinal);

        Assert.All(files.Keys, name => Assert.False(name.StartsWith('/') || name.StartsWith("./", StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal), $"entry {name}: paths must be relative, with '/'"));
        Assert.Equal(File.ReadAllText(RepoPaths.Combine("host.json")), Read(files["host.json"]));
        foreach (var required in new[] { "functions.metadata", "worker.config.json", "extensions.json" })
        {
            Assert.True(files.ContainsKey(required), $"{required} missing from {app}.zip");
        }

        Assert.Equal(File.ReadAllText(Path.Combine(published.Folder(app), "functions.metadata")), Read(files["functions.metadata"]));

        // Exactly the publish folder: nothing left out, nothing extra (no build intermediates).
        var folder = published.Folder(app);
        var onDisk = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, files.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Zip_Handler_KeepsItsExecutableMode(string app)
    {
        using var zip = ZipFile.OpenRead(published.Zip(app));
        var handler = Assert.Single(zip.Entries, e => e.FullName == app);

        // Unix zips keep st_mode in the high 16 bits of the external attributes; Linux function apps
        // run the package as deployed, so a handler without +x cannot start.
        var mode = (UnixFileMode)((handler.ExternalAttributes >> 16) & 0x1FF);
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute) && mode.HasFlag(UnixFileMode.GroupExecute) && mode.HasFlag(UnixFileMode.OtherExecute), $"handler mode in {app}.zip is {mode}");
        using var stream = handler.Open();
        var magic = new byte[4];
        stream.ReadExactly(magic);
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, magic);
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public async Task Zip_Extracted_HandlerStartsAndAnswersHealth(string app)
    {
        var folder = Directory.CreateTempSubdirectory("gw-zip-").FullName;
        try
        {
            // .NET restores the Unix modes stored in the zip, as the platform does.
            ZipFile.ExtractToDirectory(published.Zip(app), folder);
            var handler = Path.Combine(folder, app);
            Assert.True(File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "the extracted handler lost its executable bit");

            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = TestEnvironment.PostgresAdminConnectionString,
                ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
                ["Redis__KeyPrefix"] = RedisTestConnection.NewPrefix(),
                ["Admin__Secret"] = "deployment-test-secret",
                ["Encryption__Key"] = Convert.ToBase64String(new byte[32]),
            };
            foreach (var (name, value) in UsageTransportSettings())
            {
                settings.TryAdd(name, value);
            }

            var outcome = await HandlerProcess.StartAndProbeHealthAsync(handler, folder, settings, TimeSpan.FromSeconds(60));
            Assert.True(outcome.Answered, $"{app}'s handler from {app}.zip did not answer /api/health:\n{outcome.Output}");
            Assert.Equal(HttpStatusCode.OK, outcome.Status);
            Assert.Equal("Healthy", (string?)JsonNode.Parse(outcome.Body)!["checks"]!["redis"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The usage transport as local development runs it (local.settings.sample.json: UsageTransport and
    /// the settings named after it), so that the proxy and ingest apps start whatever transport they need.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> UsageTransportSettings()
        => AppSettings.SampleValues().Where(s => s.Key.StartsWith("Usage", StringComparison.Ordinal) && s.Value.Length > 0);

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
