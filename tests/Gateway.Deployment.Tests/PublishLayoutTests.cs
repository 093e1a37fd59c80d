using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Deployment.Tests;

/// <summary>Each app's publish output is a complete custom-handler function app whose handler starts and serves.</summary>
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
    public void Publish_FunctionFolders_AreAllThereWithTheirFunctionJson(string app)
    {
        var expected = FunctionAppContract.LoadFunctions(app).Select(f => f.Name).Order().ToList();
        Assert.NotEmpty(expected);
        var actual = Directory.GetDirectories(published.Folder(app))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .Order()
            .ToList();
        Assert.Equal(expected, actual!);
        foreach (var name in expected)
        {
            Assert.Equal(File.ReadAllText(RepoPaths.Combine(app, name, "function.json")), File.ReadAllText(Path.Combine(published.Folder(app), name, "function.json")));
        }
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Publish_Handler_IsASelfContainedLinuxExecutable(string app)
    {
        var folder = published.Folder(app);
        var handlerName = (string)FunctionAppContract.ReadJson(RepoPaths.Combine("host.json"))["customHandler"]!["description"]!["defaultExecutablePath"]!;
        var handler = Path.Combine(folder, handlerName);
        Assert.True(File.Exists(handler), $"{handlerName} missing in {app}'s publish output");
        Assert.True(File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "the handler must be executable");
        var elf = File.ReadAllBytes(handler).AsSpan(0, 4).ToArray();
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, elf);

        // Self-contained: the runtime ships in the folder, so the host image's .NET version does not matter.
        Assert.True(File.Exists(Path.Combine(folder, "libcoreclr.so")), "libcoreclr.so missing: not self-contained");
        Assert.True(File.Exists(Path.Combine(folder, "libhostfxr.so")), "libhostfxr.so missing: not self-contained");
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, app + ".runtimeconfig.json")))!;
        Assert.NotNull(runtimeConfig["runtimeOptions"]!["includedFrameworks"]);
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public async Task Publish_HandlerUnderCustomHandlerPort_StartsAndAnswersHealth(string app)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(published.Folder(app), "handler"))
        {
            WorkingDirectory = published.Folder(app),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // What the Functions host provides: the port, and the app settings as environment variables.
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ConnectionStrings__Postgres"] = TestEnvironment.PostgresAdminConnectionString;
        start.Environment["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString;
        start.Environment["Redis__KeyPrefix"] = RedisTestConnection.NewPrefix();
        start.Environment["Admin__Secret"] = "deployment-test-secret";
        start.Environment["Encryption__Key"] = Convert.ToBase64String(new byte[32]);
        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = Stopwatch.StartNew();
            HttpResponseMessage? response = null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                try
                {
                    response = await client.GetAsync("/api/health");
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }

            string output;
            lock (log)
            {
                output = log.ToString();
            }

            Assert.True(response is not null, $"{app}'s handler did not answer on port {port}:\n{output}");
            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("Healthy", (string?)body["checks"]!["redis"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
