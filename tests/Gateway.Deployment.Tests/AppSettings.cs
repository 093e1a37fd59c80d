using System.Reflection;
using Gateway.Domain.Hosting;
using Gateway.Testing;

namespace Gateway.Deployment.Tests;

/// <summary>
/// The app settings the gateway reads, derived from its own options types: every class named
/// <c>*Options</c> with a <c>Section</c> constant in the domain and the three apps. A property is
/// the setting <c>{Section}__{Property}</c> (nested objects add levels), unless
/// <see cref="SettingNameAttribute"/> names it otherwise.
/// </summary>
public static class AppSettings
{
    public static readonly IReadOnlyDictionary<string, Assembly> Apps = new Dictionary<string, Assembly>
    {
        ["Gateway.Functions"] = Assembly.Load("Gateway.Functions"),
        ["Gateway.Admin.Functions"] = Assembly.Load("Gateway.Admin.Functions"),
        ["Gateway.Ingest.Functions"] = Assembly.Load("Gateway.Ingest.Functions"),
    };

    public static IReadOnlyList<string> All()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var assembly in Apps.Values.Append(typeof(GatewayHosting).Assembly))
        {
            foreach (var type in OptionsTypes(assembly))
            {
                var section = (string)type.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
                Collect(type, section, names);
            }
        }

        names.UnionWith(GatewayHosting.DirectSettings);
        return [.. names];
    }

    public static Dictionary<string, string> SampleValues()
    {
        var values = FunctionAppContract.ReadJson(RepoPaths.Combine("local.settings.sample.json"))["Values"]!.AsObject();
        return values.ToDictionary(v => v.Key, v => (string?)v.Value ?? string.Empty, StringComparer.Ordinal);
    }

    private static IEnumerable<Type> OptionsTypes(Assembly assembly)
        => assembly.GetTypes().Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal)
            && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true });

    private static void Collect(Type type, string prefix, SortedSet<string> names)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (property.GetCustomAttribute<SettingNameAttribute>() is { } named)
            {
                names.Add(named.Name);
            }
            else if (IsNestedSection(property.PropertyType))
            {
                Collect(property.PropertyType, $"{prefix}__{property.Name}", names);
            }
            else
            {
                names.Add($"{prefix}__{property.Name}");
            }
        }
    }

    private static bool IsNestedSection(Type type)
        => type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
}
