using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// <c>infra/main.bicep</c> as Azure would deploy it with given parameters: <c>bicep snapshot</c>
/// evaluates parameters, conditions, loops and modules locally into the list of resources the
/// deployment creates, with their properties (values only Azure knows, such as another
/// resource's keys, stay ARM expressions; names and setting keys are evaluated).
/// </summary>
internal static class InfraTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string ResourceGroup = "rg-gateway-test";

    public static readonly string InfraFolder = RepoPaths.Combine("infra");
    public static readonly string MainBicep = RepoPaths.Combine("infra", "main.bicep");
    public static readonly string MainParameters = RepoPaths.Combine("infra", "main.bicepparam");

    /// <summary>The secrets main.bicepparam reads from the environment: valid-looking test values.</summary>
    public static IReadOnlyDictionary<string, string> SecretEnvironment { get; } = new Dictionary<string, string>
    {
        ["GATEWAY_ADMIN_SECRET"] = "deployment-test-admin-secret",
        ["GATEWAY_ENCRYPTION_KEY"] = Convert.ToBase64String(new byte[32]),
        ["GATEWAY_POSTGRES_PASSWORD"] = "deployment-test-password",
    };

    private static readonly ConcurrentDictionary<string, Lazy<Task<Snapshot>>> Snapshots = new();

    /// <summary>The shipped main.bicepparam with <c>GATEWAY_USAGE_TRANSPORT</c> = <paramref name="usageTransport"/>.</summary>
    public static Task<Snapshot> ForTransportAsync(string usageTransport)
        => Snapshots.GetOrAdd("transport:" + usageTransport, _ => new Lazy<Task<Snapshot>>(() => CreateAsync(
            File.ReadAllText(MainParameters),
            new Dictionary<string, string>(SecretEnvironment) { ["GATEWAY_USAGE_TRANSPORT"] = usageTransport }))).Value;

    /// <summary>main.bicep with the required parameters and <paramref name="parameters"/> (Bicep literals).</summary>
    public static Task<Snapshot> WithParametersAsync(params (string Name, string BicepValue)[] parameters)
    {
        var key = string.Join(";", parameters.Select(p => $"{p.Name}={p.BicepValue}"));
        return Snapshots.GetOrAdd("params:" + key, _ => new Lazy<Task<Snapshot>>(() =>
        {
            var text = string.Join('\n', [
                "using 'main.bicep'",
                "param adminSecret = readEnvironmentVariable('GATEWAY_ADMIN_SECRET')",
                "param encryptionKey = readEnvironmentVariable('GATEWAY_ENCRYPTION_KEY')",
                "param postgresAdminPassword = readEnvironmentVariable('GATEWAY_POSTGRES_PASSWORD')",
                .. parameters.Select(p => $"param {p.Name} = {p.BicepValue}"),
            ]);
            return CreateAsync(text, SecretEnvironment);
        })).Value;
    }

    private static async Task<Snapshot> CreateAsync(string parametersText, IReadOnlyDictionary<string, string> environment)
    {
        // bicep snapshot writes <file>.snapshot.json next to the parameters file, and `using` must be
        // a relative path: the parameters go to a temporary folder, pointing back at infra/main.bicep.
        var folder = Directory.CreateTempSubdirectory("gw-bicep-").FullName;
        try
        {
            var relative = Path.GetRelativePath(folder, MainBicep).Replace('\\', '/');
            var text = parametersText.Replace("using 'main.bicep'", $"using '{relative}'", StringComparison.Ordinal);
            Assert.Contains(relative, text, StringComparison.Ordinal);
            var file = Path.Combine(folder, "deployment.bicepparam");
            await File.WriteAllTextAsync(file, text);
            var result = await BicepCli.RunAsync(
                ["snapshot", file, "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", "westeurope"],
                folder,
                environment);
            Assert.True(result.ExitCode == 0, "bicep snapshot failed:\n" + result.Output);
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "deployment.snapshot.json")))!;
            return new Snapshot(json["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList(), result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The predicted resources of one deployment.</summary>
internal sealed class Snapshot(IReadOnlyList<JsonObject> resources, string cliOutput)
{
    public IReadOnlyList<JsonObject> Resources { get; } = resources;

    public string CliOutput { get; } = cliOutput;

    public IEnumerable<JsonObject> OfType(string type)
        => Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>The function app whose name contains <c>-{role}-</c> (proxy, admin, ingest).</summary>
    public JsonObject Site(string role)
        => Assert.Single(OfType("Microsoft.Web/sites"), s => ((string)s["name"]!).Contains($"-{role}-", StringComparison.Ordinal));

    /// <summary>The name of the storage account that holds blob container <paramref name="container"/>.</summary>
    public string StorageAccountWithContainer(string container)
        => ((string)Assert.Single(OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => ((string)c["name"]!).EndsWith("/" + container, StringComparison.Ordinal))["name"]!).Split('/')[0];

    /// <summary>The app settings the deployment writes to the app (its config/appsettings resource).</summary>
    public IReadOnlyDictionary<string, string> AppSettings(string role)
    {
        var site = (string)Site(role)["name"]!;
        var config = Assert.Single(OfType("Microsoft.Web/sites/config"), c => (string?)c["name"] == $"{site}/appsettings");
        return config["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
    }

    /// <summary>Role assignments granting <paramref name="roleDefinitionId"/> to the system-assigned identity of the <paramref name="role"/> app.</summary>
    public IReadOnlyList<JsonObject> RoleAssignments(string role, string roleDefinitionId)
    {
        // The principal is only known in Azure: the snapshot keeps reference('<site id>', ..., 'full').identity.principalId.
        var site = $"/Microsoft.Web/sites/{(string)Site(role)["name"]!}'";
        return [.. OfType("Microsoft.Authorization/roleAssignments").Where(a =>
            ((string?)a["properties"]!["roleDefinitionId"])?.EndsWith("/" + roleDefinitionId, StringComparison.OrdinalIgnoreCase) == true
            && ((string?)a["properties"]!["principalId"])?.Contains(site, StringComparison.Ordinal) == true
            && ((string?)a["properties"]!["principalId"])?.Contains(".identity.principalId", StringComparison.Ordinal) == true)];
    }
}
