using System.Reflection;
using Gateway.Domain.Hosting;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// Which settings of <see cref="AppSettings.All"/> have a default in code: the value a freshly
/// constructed options object holds (null, empty and whitespace strings are no default). Same
/// discovery as <see cref="AppSettings"/>: <c>*Options</c> classes with a <c>Section</c> constant.
/// </summary>
internal static class SettingDefaults
{
    public static IReadOnlyDictionary<string, bool> HasDefault()
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var assembly in AppSettings.Apps.Values.Append(typeof(GatewayHosting).Assembly).Distinct())
        {
            foreach (var type in assembly.GetTypes().Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal)
                && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true }))
            {
                var section = (string)type.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
                Collect(type, Activator.CreateInstance(type, nonPublic: true), section, result);
            }
        }

        // Read with GetValue(..., default) in GatewayHosting (ports, listen address).
        foreach (var setting in GatewayHosting.DirectSettings)
        {
            result[setting] = true;
        }

        return result;
    }

    private static void Collect(Type type, object? instance, string prefix, Dictionary<string, bool> result)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = instance is null ? null : property.GetValue(instance);
            if (property.GetCustomAttribute<SettingNameAttribute>() is { } named)
            {
                result[named.Name] = IsDefault(value);
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                Collect(property.PropertyType, value, $"{prefix}__{property.Name}", result);
            }
            else
            {
                result[$"{prefix}__{property.Name}"] = IsDefault(value);
            }
        }
    }

    private static bool IsDefault(object? value) => value switch
    {
        null => false,
        string s => !string.IsNullOrWhiteSpace(s),
        _ => true,
    };
}
