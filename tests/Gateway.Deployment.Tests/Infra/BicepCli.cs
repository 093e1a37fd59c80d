using System.Diagnostics;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// The Bicep CLI shipped by the <c>Azure.Bicep.CommandLine.linux-x64</c> package, copied next to
/// the tests (see the test project), so that no network and no Azure CLI is needed.
/// </summary>
internal static class BicepCli
{
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>Diagnostics lines: "path(line,col) : Warning|Error rule: message".</summary>
        public IReadOnlyList<string> Diagnostics => [.. Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(" : Warning ", StringComparison.Ordinal) || l.Contains(" : Error ", StringComparison.Ordinal))];
    }

    public static string Path { get; } = Locate();

    public static async Task<Result> RunAsync(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Path, args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };

        // Bicep reads these through readEnvironmentVariable() in main.bicepparam; a test decides them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("GATEWAY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // Bicep is a .NET app: without ICU on the machine it needs invariant globalization.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    private static string Locate()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "bicep", "bicep");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} missing: the test project copies it from the Azure.Bicep.CommandLine.linux-x64 package.");
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }

        return path;
    }
}
