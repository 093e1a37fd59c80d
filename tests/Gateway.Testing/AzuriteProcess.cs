using System.Globalization;

namespace Gateway.Testing;

/// <summary>
/// A private Azurite (blob and queue) on free loopback ports with its own data folder, for tests that
/// need Storage to go down and come back. Never the shared Azurite: stopping this one stops only the
/// process it started. Found at <c>GATEWAY_AZURITE</c>, else <c>tools/azurite/node_modules/.bin/azurite</c>
/// (installed by <c>scripts/services.sh start</c>).
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account key (published by Microsoft; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _dataFolder;
    private readonly int _blobPort;
    private readonly int _queuePort;
    private readonly int _tablePort;
    private System.Diagnostics.Process? _process;

    private AzuriteProcess(string dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _dataFolder = dataFolder;
        _blobPort = blobPort;
        _queuePort = queuePort;
        _tablePort = tablePort;
    }

    /// <summary>Connection string of this Azurite's blob and queue endpoints (valid while it is stopped, too).</summary>
    public string ConnectionString
        => $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a new Azurite on free ports with an empty data folder, and waits until it listens.</summary>
    public static async Task<AzuriteProcess> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gateway-azurite-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var azurite = new AzuriteProcess(folder, LoopbackProcess.FreePort(), LoopbackProcess.FreePort(), LoopbackProcess.FreePort());
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts it again after <see cref="StopAsync"/>: same ports, same data (queues and messages survive).</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        string[] arguments =
        [
            "--silent", "--skipApiVersionCheck", "--location", _dataFolder,
            "--blobHost", "127.0.0.1", "--blobPort", Port(_blobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(_queuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(_tablePort),
        ];
        _process = await LoopbackProcess.StartAsync(FindExecutable(), arguments, _queuePort, _blobPort);
    }

    /// <summary>Stops this Azurite (and only it) with SIGTERM, so that it saves its data. Its ports refuse connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await LoopbackProcess.StopAsync(_process);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up later.
        }
    }

    private static string FindExecutable()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("GATEWAY_AZURITE"),
            RepoPaths.Combine("tools", "azurite", "node_modules", ".bin", "azurite"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Azurite is not installed: run scripts/services.sh start (it installs tools/azurite) or set GATEWAY_AZURITE to the azurite executable.");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
