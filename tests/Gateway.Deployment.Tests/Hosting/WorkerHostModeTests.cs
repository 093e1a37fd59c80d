using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Testing;

namespace Gateway.Deployment.Tests.Hosting;

/// <summary>
/// The host-mode branch of each app, as far as it can run here: started the way the Functions host
/// starts a worker (its gRPC endpoint on the command line, FUNCTIONS_APPLICATION_DIRECTORY), the app
/// builds as an isolated worker (services, options validation, the HTTP pipeline its functions call)
/// and fails only where the missing host is needed: the gRPC connection. No Functions host can run on
/// this machine; this is the stand-in for "the worker starts under the host".
/// </summary>
public sealed class WorkerHostModeTests
{
    public static TheoryData<string> Apps => [.. PublishedApps.Apps];

    [Theory]
    [MemberData(nameof(Apps))]
    public async Task HostMode_ValidSettings_BuildsTheWorkerAndStopsOnlyAtTheHostConnection(string app)
    {
        var output = await RunInHostModeAsync(app, new Dictionary<string, string>
        {
            ["Admin__Secret"] = "host-mode-test-secret",
        });

        Assert.Contains("GrpcWorkerClient", output, StringComparison.Ordinal);
        Assert.DoesNotContain("OptionsValidationException", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostMode_AdminWithoutSecret_RefusesToStartNamingTheSetting()
    {
        var output = await RunInHostModeAsync("Gateway.Admin.Functions", new Dictionary<string, string>());

        Assert.Contains("Admin__Secret is required when the admin app runs under the Azure Functions host", output, StringComparison.Ordinal);
        Assert.DoesNotContain("GrpcWorkerClient", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunInHostModeAsync(string app, Dictionary<string, string> settings)
    {
        var folder = FunctionAppContract.BuildOutput(app);
        var closedPort = ClosedPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            Path.Combine(folder, app + ".dll"),
            "--functions-uri", $"http://127.0.0.1:{closedPort}/",
            "--functions-worker-id", Guid.NewGuid().ToString(),
            "--functions-request-id", Guid.NewGuid().ToString(),
            "--functions-grpc-max-message-length", "2147483647",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = folder;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["ConnectionStrings__Postgres"] = TestEnvironment.PostgresAdminConnectionString;
        start.Environment["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString;
        start.Environment["Redis__KeyPrefix"] = RedisTestConnection.NewPrefix();
        start.Environment["Encryption__Key"] = Convert.ToBase64String(new byte[32]);
        start.Environment.Remove("Admin__Secret");
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (log)
        {
            Assert.True(process.ExitCode != 0, $"{app} in host mode without a host must not keep running:\n{log}");
            return log.ToString();
        }
    }

    // A loopback port with nothing listening: the worker's gRPC connection is refused at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
