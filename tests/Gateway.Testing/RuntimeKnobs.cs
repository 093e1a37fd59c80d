using System.Text.Json;

namespace Gateway.Testing;

/// <summary>
/// The .NET runtime's environment-only knobs the proxy is deployed with (<c>infra/runtime/proxy.json</c>,
/// loaded by <c>infra/main.bicep</c> into the proxy's app settings): the benchmark runs both proxies
/// with them, the deployment tests check the template sets them.
/// </summary>
public static class RuntimeKnobs
{
    public static readonly string ProxyFile = RepoPaths.Combine("infra", "runtime", "proxy.json");

    /// <summary>Variable → value, e.g. <c>DOTNET_TC_CallCountingDelayMs</c> → <c>0</c>.</summary>
    public static IReadOnlyDictionary<string, string> Proxy()
        => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(ProxyFile))
            ?? throw new InvalidOperationException($"{ProxyFile} is empty");

    public static IEnumerable<string> Names() => Proxy().Keys;
}
