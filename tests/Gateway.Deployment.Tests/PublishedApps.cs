using System.Diagnostics;
using Gateway.Testing;

namespace Gateway.Deployment.Tests;

/// <summary>
/// Publishes the three function apps once per test run, the way a deployment does: with
/// <c>scripts/publish.sh</c> (<c>dotnet publish -c Release</c>, self-contained linux-x64, then a zip
/// per app), into a temporary folder.
/// </summary>
public sealed class PublishedApps : IAsyncLifetime
{
    public static readonly string[] Apps = ["Gateway.Functions", "Gateway.Admin.Functions", "Gateway.Ingest.Functions"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gw-publish-" + Guid.NewGuid().ToString("n"));

    public string Folder(string app) => Path.Combine(Root, app);

    /// <summary>The zip deploy package of <paramref name="app"/>.</summary>
    public string Zip(string app) => Path.Combine(Root, app + ".zip");

    public async Task InitializeAsync()
    {
        // The script publishes with its own artifacts path (<output>/.build), which keeps this publish
        // from touching the obj/ folders of the build under test.
        await RunAsync("bash", [RepoPaths.Combine("scripts", "publish.sh"), Root], TimeSpan.FromMinutes(20));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A handler process may still hold a file; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    public static async Task<string> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        var text = await output + await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{text}");
        }

        return text;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedAppsCollection : ICollectionFixture<PublishedApps>
{
    public const string Name = "published apps";
}
