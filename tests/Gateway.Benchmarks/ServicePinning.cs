using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Benchmarks;

/// <summary>
/// With <c>--pin-services 1</c>: Redis and Azurite (the local stand-ins for Azure Cache for Redis and
/// Azure Storage, which in Azure run on machines of their own) are moved to core 1, with the load
/// generator and the upstream, for the run, so that the proxy under test has core 0 to itself as
/// bare YARP has. Their affinity is restored at the end. Found by their listening ports
/// (<c>ss -ltnp</c>); every thread of each process is moved (<c>taskset -a</c>).
/// </summary>
internal sealed partial class ServicePinning : IDisposable
{
    private readonly List<(int Pid, string Mask, string Name)> _moved = [];

    private ServicePinning()
    {
    }

    public static ServicePinning Apply(bool enabled, params (string Name, int Port)[] services)
    {
        var pinning = new ServicePinning();
        if (!enabled || !OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            return pinning;
        }

        foreach (var (name, port) in services)
        {
            var pid = ListeningPid(port);
            if (pid is null)
            {
                Console.WriteLine($"--pin-services: no process listens on {port.ToString(CultureInfo.InvariantCulture)} ({name}); left as it is");
                continue;
            }

            var mask = Run("taskset", "-p", pid.Value.ToString(CultureInfo.InvariantCulture));
            var current = MaskPattern().Match(mask);
            if (!current.Success || Run("taskset", "-a", "-p", "2", pid.Value.ToString(CultureInfo.InvariantCulture)).Length == 0)
            {
                Console.WriteLine($"--pin-services: could not move {name} (pid {pid}) to core 1");
                continue;
            }

            pinning._moved.Add((pid.Value, current.Groups[1].Value, name));
        }

        if (pinning._moved.Count > 0)
        {
            Console.WriteLine($"services on core 1 for this run: {string.Join(", ", pinning._moved.Select(m => $"{m.Name} (pid {m.Pid.ToString(CultureInfo.InvariantCulture)})"))}");
        }

        return pinning;
    }

    public void Dispose()
    {
        foreach (var (pid, mask, _) in _moved)
        {
            Run("taskset", "-a", "-p", mask, pid.ToString(CultureInfo.InvariantCulture));
        }

        _moved.Clear();
    }

    private static int? ListeningPid(int port)
    {
        var output = Run("ss", "-ltnpH", $"sport = :{port.ToString(CultureInfo.InvariantCulture)}");
        var match = PidPattern().Match(output);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return "";
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ""; // the tool is not installed
        }
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidPattern();

    [GeneratedRegex(@"affinity mask: ([0-9a-fA-F]+)")]
    private static partial Regex MaskPattern();
}
