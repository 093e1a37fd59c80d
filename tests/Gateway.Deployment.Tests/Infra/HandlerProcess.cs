using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// Starts a published app's executable in local mode with the app settings as environment variables
/// and nothing else (the worker cannot start under a Functions host here: none can run), on a free
/// port, and waits until it answers <c>/api/health</c> or exits.
/// </summary>
internal static class HandlerProcess
{
    public sealed record Outcome(bool Answered, HttpStatusCode? Status, string Body, string Output);

    public static async Task<Outcome> StartAndProbeHealthAsync(string handler, string workingDirectory, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(handler)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Only what the host would pass: a setting leaking in from the test run's environment
        // (ConnectionStrings__*, ASPNETCORE_*, DOTNET_*) would hide a setting the template must provide.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = workingDirectory;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        foreach (var role in new[] { "Proxy", "Admin", "Ingest" })
        {
            start.Environment[$"Ports__{role}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout && !process.HasExited)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
                    return new Outcome(true, response.StatusCode, await response.Content.ReadAsStringAsync(), Snapshot(log));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }

            if (process.HasExited)
            {
                // Let the redirected streams drain.
                await process.WaitForExitAsync();
            }

            return new Outcome(false, null, string.Empty, Snapshot(log));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
