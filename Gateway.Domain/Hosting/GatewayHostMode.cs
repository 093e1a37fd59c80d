namespace Gateway.Domain.Hosting;

/// <summary>
/// Whether this process was started by the Azure Functions host (as an isolated worker) or on its
/// own (local mode: this machine, containers, the tests).
/// </summary>
public static class GatewayHostMode
{
    /// <summary>
    /// The host starts a worker with its gRPC endpoint on the command line (<c>--functions-uri</c>,
    /// or <c>--host</c>/<c>--port</c> with <c>--workerId</c> on older hosts) and sets
    /// <c>FUNCTIONS_APPLICATION_DIRECTORY</c> (the ASP.NET Core integration reads host.json from it);
    /// under Flex Consumption's placeholder mode the app is loaded into the native host instead.
    /// </summary>
    public static bool IsFunctionsHost(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(static a => a.StartsWith("--functions-uri", StringComparison.Ordinal)
                || a.StartsWith("--functions-worker-id", StringComparison.Ordinal)
                || a.StartsWith("--workerId", StringComparison.Ordinal))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY"))
            || AppContext.GetData("AZURE_FUNCTIONS_NATIVE_HOST") is not null;
    }
}
