using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Gateway.Testing;

/// <summary>Runs a client script of <c>tests/node</c> (the official npm SDKs) and returns the one JSON object it printed.</summary>
public static class NodeSdkScript
{
    /// <summary>Runs <c>node tests/node/<paramref name="script"/> <paramref name="arguments"/></c>; fails the test when it does not exit cleanly with output.</summary>
    public static async Task<JsonNode> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [RepoPaths.Combine("tests", "node", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;
        Assert.True(process.ExitCode == 0 && text.Length > 0, $"node exited {process.ExitCode}: {text}{await errors}");
        return JsonNode.Parse(text)!;
    }
}
