namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// The dashboard's static front end, embedded in the assembly at build time (<c>Dashboard.targets</c>):
/// the files under <c>Dashboard/wwwroot</c> and the chart library that the build fetched with npm.
/// Resource names are <c>dashboard/&lt;path&gt;</c>.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(Load);

    /// <summary>The file at <paramref name="path"/> (e.g. <c>js/app.js</c>) and its content type, or null.</summary>
    public static (byte[] Content, string ContentType)? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Files.Value.TryGetValue(path, out var content) && ContentTypes.TryGetValue(Path.GetExtension(path), out var type)
            ? (content, type)
            : null;
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files;
    }
}
