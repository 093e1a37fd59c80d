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

    /// <summary>Variable → value for every knob the runtimeconfig next to <paramref name="dll"/> sets.</summary>
    public static IReadOnlyDictionary<string, string> Of(string dll)
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

        return settings;
    }
}
