using System.Text.Json;

namespace Gateway.Benchmarks;

/// <summary>
/// The runtime settings the gateway ships with (its <c>runtimeconfig.json</c>: GC mode, tiered
/// compilation), as the environment variables that set them, so that bare YARP runs with exactly
/// the same ones: the comparison is between the proxies, not between runtime configurations.
/// </summary>
internal static class RuntimeSettings
{
    private static readonly (string Property, string Variable)[] Knobs =
    [
        ("System.GC.Server", "DOTNET_gcServer"),
        ("System.GC.Concurrent", "DOTNET_gcConcurrent"),
        ("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation"),
        ("System.Runtime.TieredCompilation.QuickJit", "DOTNET_TC_QuickJit"),
        ("System.Runtime.TieredCompilation.QuickJitForLoops", "DOTNET_TC_QuickJitForLoops"),
        ("System.Runtime.TieredPGO", "DOTNET_TieredPGO"),
    ];

    private static readonly (string Property, string Variable)[] NumericKnobs =
    [
        ("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"),
    ];

    /// <summary>
    /// Variable → value for every knob the runtimeconfig next to <paramref name="dll"/> sets, plus the
    /// environment-only knobs the proxy is deployed with (<c>infra/runtime/proxy.json</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Of(string dll)
    {
        var settings = new Dictionary<string, string>(Gateway.Testing.RuntimeKnobs.Proxy());
        foreach (var (variable, value) in FromRuntimeConfig(dll))
        {
            settings[variable] = value;
        }

        return settings;
    }

    private static Dictionary<string, string> FromRuntimeConfig(string dll)
    {
        var path = Path.ChangeExtension(dll, ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var settings = new Dictionary<string, string>();
        if (!document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            return settings;
        }

        foreach (var (property, variable) in Knobs)
        {
            if (properties.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                settings[variable] = value.GetBoolean() ? "1" : "0";
            }
        }

        foreach (var (property, variable) in NumericKnobs)
        {
            if (properties.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                settings[variable] = value.GetRawText();
            }
        }

        return settings;
    }
}
