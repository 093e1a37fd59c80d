using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// infra/: the Bicep compiles and lints without a single warning, and the deployment it describes
/// (evaluated offline with <c>bicep snapshot</c>) has every resource the gateway needs, wired to
/// the apps with least-privilege identities and the app settings the apps and their functions read.
/// </summary>
public sealed partial class InfraTemplateTests
{
    public static TheoryData<string> Transports => ["ServiceBus", "StorageQueue"];

    public static TheoryData<string, string> RolesAndTransports => new()
    {
        { "proxy", "ServiceBus" }, { "admin", "ServiceBus" }, { "ingest", "ServiceBus" },
        { "proxy", "StorageQueue" }, { "admin", "StorageQueue" }, { "ingest", "StorageQueue" },
    };

    internal static readonly IReadOnlyDictionary<string, string> AppOfRole = new Dictionary<string, string>
    {
        ["proxy"] = "Gateway.Functions",
        ["admin"] = "Gateway.Admin.Functions",
        ["ingest"] = "Gateway.Ingest.Functions",
    };

    // Built-in role definition ids.
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f708-6a1a-4f31-90a7-7d0e2e9e49d0";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string CognitiveServicesUser = "a97b65f3-24c7-4388-baec-2e87ef14e446";

    /// <summary>Settings with no default in code that the template deliberately leaves unset, and why.</summary>
    private static readonly IReadOnlyDictionary<string, string> DeliberatelyUnset = new Dictionary<string, string>
    {
        ["UsageQueueStorage"] = "a connection string: the apps reach the usage account with their identity (UsageQueueStorage__queueServiceUri, __blobServiceUri)",
        ["UsageQueueStorage__clientId"] = "for a user-assigned identity; the apps use their system-assigned identity",
        ["UsageServiceBus"] = "a SAS connection string: the apps use their identity (UsageServiceBus__fullyQualifiedNamespace); SAS is disabled on the namespace",
        ["UsageServiceBus__clientId"] = "for a user-assigned identity; the apps use their system-assigned identity",
        ["UsageServiceBus__endpoint"] = "tests only",
        ["Pricing__Overrides"] = "optional: the built-in price table applies",
        ["ConnectionStrings__RedisCache"] = "optional: response cache entries share the gateway's Redis unless a Redis of their own is given",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "optional: an OTLP collector of the operator's; Azure Monitor is wired by APPLICATIONINSIGHTS_CONNECTION_STRING",
        ["Telemetry__Prometheus__Token"] = "optional: only with Telemetry__Prometheus__Enabled, which is off by default",
        ["Privacy__AzureLanguageEndpoint"] = "optional: PII policies use the local detector unless an Azure AI Language resource is given",
        ["Privacy__AzureLanguageKey"] = "optional: with Privacy__AzureLanguageEndpoint, when not using the app's identity",
    };

    [Fact]
    public async Task Bicep_Build_CompilesWithoutErrorsOrWarnings()
    {
        var folder = Directory.CreateTempSubdirectory("gw-bicep-build-").FullName;
        try
        {
            var result = await BicepCli.RunAsync(["build", InfraTemplate.MainBicep, "--outdir", folder], InfraTemplate.InfraFolder);
            Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0, "bicep build:\n" + result.Output);
            var arm = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "main.json")))!;
            Assert.Equal("ServiceBus", (string?)arm["parameters"]!["usageTransport"]!["defaultValue"]);
            Assert.Equal(["ServiceBus", "StorageQueue"], arm["parameters"]!["usageTransport"]!["allowedValues"]!.AsArray().Select(v => (string)v!));
            foreach (var secret in new[] { "adminSecret", "encryptionKey", "postgresAdminPassword" })
            {
                Assert.Equal("securestring", (string?)arm["parameters"]![secret]!["type"]);
            }

            var outputs = arm["outputs"]!.AsObject();
            foreach (var output in new[] { "proxyBaseUrl", "adminBaseUrl", "openAiBaseUrl" })
            {
                Assert.True(outputs.ContainsKey(output), $"output {output} missing");
            }

            Assert.Contains("/api/providers/openai/v1", (string)outputs["openAiBaseUrl"]!["value"]!, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Bicep_LintOfEveryFile_ReportsNothing()
    {
        var result = await BicepCli.RunAsync(["lint", "--pattern", "infra/**/*.bicep"], RepoPaths.Root);
        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0, "bicep lint:\n" + result.Output);
        Assert.True(Directory.GetFiles(InfraTemplate.InfraFolder, "*.bicep", SearchOption.AllDirectories).Length > 1);
    }

    [Fact]
    public async Task Bicep_ParametersFile_BuildsWithSecretsFromTheEnvironment()
    {
        var result = await BicepCli.RunAsync(["build-params", InfraTemplate.MainParameters, "--stdout"], InfraTemplate.InfraFolder, InfraTemplate.SecretEnvironment);
        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0, "bicep build-params:\n" + result.Output);

        // Without them it must refuse, rather than deploy an empty admin secret or encryption key.
        var missing = await BicepCli.RunAsync(["build-params", InfraTemplate.MainParameters, "--stdout"], InfraTemplate.InfraFolder);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("GATEWAY_ENCRYPTION_KEY", missing.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Deployment_Snapshot_HasNoDiagnostics(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        Assert.DoesNotContain("Warning", snapshot.CliOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", snapshot.CliOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task FunctionApps_AreLinuxFlexConsumptionCustomHandlers_WithSystemIdentity(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        Assert.Equal(3, snapshot.OfType("Microsoft.Web/serverfarms").Count());
        Assert.All(snapshot.OfType("Microsoft.Web/serverfarms"), plan =>
        {
            Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
            Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
            Assert.True((bool?)plan["properties"]!["reserved"], "a Linux plan");
        });
        foreach (var role in AppOfRole.Keys)
        {
            var site = snapshot.Site(role);
            Assert.Equal("functionapp,linux", (string?)site["kind"]);
            Assert.Equal("SystemAssigned", (string?)site["identity"]!["type"]);
            Assert.True((bool?)site["properties"]!["httpsOnly"]);
            var config = site["properties"]!["functionAppConfig"]!;
            // Flex Consumption's form of FUNCTIONS_WORKER_RUNTIME=dotnet-isolated.
            Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
            Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
            Assert.Equal("SystemAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Proxy_HasAlwaysReadyHttpInstances_AdminScalesToZero_IngestStaysUpForTheServiceBusProcessor(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        static JsonArray AlwaysReady(JsonObject site) => site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"]!.AsArray();

        var proxy = Assert.Single(AlwaysReady(snapshot.Site("proxy")));
        Assert.Equal("http", (string?)proxy!["name"]);
        Assert.True((int)proxy["instanceCount"]! >= 1);
        Assert.Empty(AlwaysReady(snapshot.Site("admin")));
        if (transport == "ServiceBus")
        {
            // No trigger wakes or scales the app for Service Bus messages: the processor runs in one kept instance.
            var ingest = Assert.Single(AlwaysReady(snapshot.Site("ingest")));
            Assert.Equal(1, (int)ingest!["instanceCount"]!);
        }
        else
        {
            Assert.Empty(AlwaysReady(snapshot.Site("ingest")));
        }
    }

    [Fact]
    public async Task ServiceBusTransport_QueueDeadLettersAndDetectsDuplicates()
    {
        var snapshot = await InfraTemplate.ForTransportAsync("ServiceBus");
        var ns = snapshot.Single("Microsoft.ServiceBus/namespaces");
        Assert.NotEqual("Basic", (string?)ns["sku"]!["name"]);
        Assert.True((bool?)ns["properties"]!["disableLocalAuth"], "identity only: no SAS keys");
        var queue = snapshot.Single("Microsoft.ServiceBus/namespaces/queues")["properties"]!;
        Assert.InRange((int)queue["maxDeliveryCount"]!, 1, 100);
        Assert.True((bool?)queue["deadLetteringOnMessageExpiration"]);
        Assert.True((bool?)queue["requiresDuplicateDetection"]);
        Assert.Empty(snapshot.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Fact]
    public async Task StorageQueueTransport_HasTheQueue_AndNoServiceBus()
    {
        var snapshot = await InfraTemplate.ForTransportAsync("StorageQueue");
        var queue = snapshot.Single("Microsoft.Storage/storageAccounts/queueServices/queues");
        var settings = snapshot.AppSettings("ingest");
        Assert.EndsWith("/" + settings["UsageQueueName"], (string)queue["name"]!, StringComparison.Ordinal);
        Assert.Equal(snapshot.StorageAccountWithContainer("usage-claims"), ((string)queue["name"]!).Split('/')[0]);
        Assert.Contains($"'{snapshot.StorageAccountWithContainer("usage-claims")}'", settings["UsageQueueStorage__queueServiceUri"], StringComparison.Ordinal);
        Assert.Empty(snapshot.OfType("Microsoft.ServiceBus/namespaces"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task DataServices_PostgresRedisKeyVaultMonitoring_AreThere(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);

        snapshot.Single("Microsoft.DBforPostgreSQL/flexibleServers");
        var database = snapshot.Single("Microsoft.DBforPostgreSQL/flexibleServers/databases");
        Assert.EndsWith("/gateway", (string)database["name"]!, StringComparison.Ordinal);

        var redis = snapshot.Single("Microsoft.Cache/redis")["properties"]!;
        Assert.False((bool?)redis["enableNonSslPort"], "Redis must be TLS only");
        Assert.Equal("1.2", (string?)redis["minimumTlsVersion"]);

        var vault = snapshot.Single("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool?)vault["enableRbacAuthorization"]);
        var secrets = snapshot.OfType("Microsoft.KeyVault/vaults/secrets").Select(s => ((string)s["name"]!).Split('/')[1]).ToHashSet();
        Assert.Superset(new HashSet<string> { "admin-secret", "encryption-key", "postgres-admin-password", "postgres-connection-string", "redis-connection-string" }, secrets);

        snapshot.Single("Microsoft.Insights/components");
        snapshot.Single("Microsoft.OperationalInsights/workspaces");

        // One per app, and the usage account (queue and claim-check blobs).
        var storage = snapshot.OfType("Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(4, storage.Count);
        Assert.All(storage, s =>
        {
            Assert.False((bool?)s["properties"]!["allowSharedKeyAccess"], "storage is reached with identities only");
            Assert.Equal("TLS1_2", (string?)s["properties"]!["minimumTlsVersion"]);
        });

        Assert.Empty(snapshot.OfType("Microsoft.CognitiveServices/accounts"));
    }

    [Fact]
    public async Task PiiDetection_WhenEnabled_AddsALanguageResourceTheProxyMayCall()
    {
        var snapshot = await InfraTemplate.WithParametersAsync(("enablePiiDetection", "true"));
        var language = snapshot.Single("Microsoft.CognitiveServices/accounts");
        Assert.Equal("TextAnalytics", (string?)language["kind"]);
        Assert.True((bool?)language["properties"]!["disableLocalAuth"]);
        Assert.Single(snapshot.RoleAssignments("proxy", CognitiveServicesUser));
    }

    [Fact]
    public async Task Identities_ServiceBusTransport_SenderAndReceiverOnTheQueueOnly()
    {
        var snapshot = await InfraTemplate.ForTransportAsync("ServiceBus");
        AssertScopedTo(Assert.Single(snapshot.RoleAssignments("proxy", ServiceBusDataSender)), "Microsoft.ServiceBus/namespaces/queues");
        AssertScopedTo(Assert.Single(snapshot.RoleAssignments("ingest", ServiceBusDataReceiver)), "Microsoft.ServiceBus/namespaces/queues");
        Assert.Empty(snapshot.RoleAssignments("admin", ServiceBusDataSender));
        Assert.Empty(snapshot.RoleAssignments("proxy", ServiceBusDataReceiver));
        Assert.Empty(snapshot.RoleAssignments("proxy", StorageQueueDataContributor));
        Assert.Empty(snapshot.RoleAssignments("ingest", StorageQueueDataContributor));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Identities_UsageAccount_OnlyProxyAndIngestReachIt(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        foreach (var role in new[] { "proxy", "ingest" })
        {
            // The account of the claim-check container; the settings name it (the cloud's DNS suffix stays an expression).
            var usageAccount = snapshot.StorageAccountWithContainer("usage-claims");
            Assert.Contains($"'{usageAccount}'", snapshot.AppSettings(role)["UsageQueueStorage__blobServiceUri"], StringComparison.Ordinal);
            var blob = Assert.Single(snapshot.RoleAssignments(role, StorageBlobDataContributor));
            AssertScopedTo(blob, "Microsoft.Storage/storageAccounts");
            Assert.Contains($"/storageAccounts/{usageAccount}/providers/", (string)blob["id"]!, StringComparison.Ordinal);
            Assert.NotEqual(usageAccount, snapshot.AppSettings(role)["AzureWebJobsStorage__accountName"]);

            var queue = snapshot.RoleAssignments(role, StorageQueueDataContributor);
            Assert.Equal(transport == "StorageQueue" ? 1 : 0, queue.Count);
            Assert.All(queue, q => Assert.Contains($"/storageAccounts/{usageAccount}/providers/", (string)q["id"]!, StringComparison.Ordinal));
        }

        Assert.Empty(snapshot.RoleAssignments("admin", StorageBlobDataContributor));
        Assert.Empty(snapshot.RoleAssignments("admin", StorageQueueDataContributor));
        Assert.Empty(snapshot.RoleAssignments("proxy", ServiceBusDataReceiver));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Identities_EachAppOwnsBlobDataOfItsStorage_AndReadsOnlyItsSecrets(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        foreach (var role in AppOfRole.Keys)
        {
            var storage = Assert.Single(snapshot.RoleAssignments(role, StorageBlobDataOwner));
            AssertScopedTo(storage, "Microsoft.Storage/storageAccounts");
            Assert.Contains(snapshot.AppSettings(role)["AzureWebJobsStorage__accountName"], (string)storage["id"]!, StringComparison.Ordinal);

            // One Key Vault Secrets User assignment per secret the app references, scoped to that secret.
            var referenced = snapshot.AppSettings(role).Values
                .Select(v => KeyVaultSecretName().Match(v))
                .Where(m => m.Success)
                .Select(m => m.Groups["secret"].Value)
                .ToHashSet();
            Assert.NotEmpty(referenced);
            var granted = snapshot.RoleAssignments(role, KeyVaultSecretsUser).ToList();
            Assert.All(granted, a => AssertScopedTo(a, "Microsoft.KeyVault/vaults/secrets"));
            Assert.Equal(referenced.Order(), granted.Select(a => referenced.Single(s => ((string)a["id"]!).Contains($"/secrets/{s}/providers/", StringComparison.Ordinal))).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Proxy_GetsTheRuntimeKnobsOfInfraRuntime_AndOnlyTheProxy(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        var proxy = snapshot.AppSettings("proxy");
        foreach (var (name, value) in RuntimeKnobs.Proxy())
        {
            Assert.Equal(value, proxy.GetValueOrDefault(name));
            Assert.DoesNotContain(name, snapshot.AppSettings("admin").Keys);
        }

        Assert.Contains("DOTNET_TC_CallCountingDelayMs", proxy.Keys);
    }

    [Theory]
    [MemberData(nameof(RolesAndTransports))]
    public async Task AppSettings_SecretsAreKeyVaultReferences(string role, string transport)
    {
        var settings = (await InfraTemplate.ForTransportAsync(transport)).AppSettings(role);
        foreach (var (name, value) in settings.Where(s => s.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || s.Key is "Admin__Secret" or "Encryption__Key"))
        {
            Assert.True(KeyVaultSecretName().IsMatch(value), $"{role}: {name} must be a Key Vault reference, is {value}");
        }
    }

    [Theory]
    [MemberData(nameof(RolesAndTransports))]
    public async Task AppSettings_FunctionsHost_HasStorageAndEverySettingTheFunctionsReference(string role, string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        var settings = snapshot.AppSettings(role);
        var app = AppOfRole[role];

        Assert.True(settings.Keys.Any(k => k == "AzureWebJobsStorage" || k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal)), $"{role}: AzureWebJobsStorage");

        // Flex Consumption takes the worker runtime from functionAppConfig.runtime and rejects
        // these settings (Azure Functions app settings reference, "Flex Consumption plan deprecations").
        foreach (var rejected in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE" })
        {
            Assert.False(settings.ContainsKey(rejected), $"{role}: {rejected} is not supported on Flex Consumption");
        }

        foreach (var function in FunctionAppContract.LoadFunctions(app))
        {
            if (settings.TryGetValue($"AzureWebJobs.{function.Name}.Disabled", out var disabled) && disabled == "true")
            {
                continue;
            }

            foreach (var binding in ReadBindings(app, function.Name))
            {
                if ((string?)binding["connection"] is { Length: > 0 } connection)
                {
                    Assert.True(
                        settings.Keys.Any(k => k == connection || k.StartsWith(connection + "__", StringComparison.Ordinal)),
                        $"{role} ({transport}): function {function.Name} (functions.metadata) uses connection '{connection}': the template must set {connection} or {connection}__*");
                }

                foreach (var value in binding.Select(p => p.Value).OfType<JsonValue>().Select(v => v.ToString()))
                {
                    foreach (Match match in BindingExpression().Matches(value))
                    {
                        var name = match.Groups["name"].Value;
                        Assert.True(settings.ContainsKey(name), $"{role} ({transport}): function {function.Name} (functions.metadata) resolves %{name}%: the template must set {name}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Ingest_StorageQueueFunction_IsDisabledExactlyWithServiceBus(string transport)
    {
        var snapshot = await InfraTemplate.ForTransportAsync(transport);
        var settings = snapshot.AppSettings("ingest");
        var disabled = settings.Where(s => s.Key.StartsWith("AzureWebJobs.", StringComparison.Ordinal) && s.Key.EndsWith(".Disabled", StringComparison.Ordinal)).ToList();

        // Linux app setting names allow letters, digits, '.' and '_' only: a function whose name has a
        // '-' cannot be disabled by setting on Linux (Azure Functions docs, "How to disable functions").
        Assert.All(disabled, d => Assert.Matches("^AzureWebJobs\\.[A-Za-z0-9_]+\\.Disabled$", d.Key));
        var queueFunction = Assert.Single(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.TriggerType == "queueTrigger");
        Assert.Equal(transport == "ServiceBus" ? "true" : "false", settings.GetValueOrDefault($"AzureWebJobs.{queueFunction.Name}.Disabled"));
        Assert.DoesNotContain(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.TriggerType == "serviceBusTrigger");
    }

    [Theory]
    [MemberData(nameof(RolesAndTransports))]
    public async Task AppSettings_EveryName_IsASettingTheGatewayOrTheFunctionsHostReads(string role, string transport)
    {
        var settings = (await InfraTemplate.ForTransportAsync(transport)).AppSettings(role);
        var known = new HashSet<string>(AppSettings.All().Concat(AppSettings.SampleValues().Keys), StringComparer.Ordinal)
        {
            "AzureWebJobsStorage", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        };

        // The .NET runtime's own environment-only knobs (infra/runtime/*.json), read by the runtime at start.
        known.UnionWith(RuntimeKnobs.Names());
        var prefixes = new List<string> { "AzureWebJobsStorage" };
        foreach (var function in FunctionAppContract.LoadFunctions(AppOfRole[role]))
        {
            foreach (var binding in ReadBindings(AppOfRole[role], function.Name))
            {
                if ((string?)binding["connection"] is { Length: > 0 } connection)
                {
                    known.Add(connection);
                    prefixes.Add(connection);
                }

                foreach (var value in binding.Select(p => p.Value).OfType<JsonValue>().Select(v => v.ToString()))
                {
                    known.UnionWith(BindingExpression().Matches(value).Select(m => m.Groups["name"].Value));
                }
            }
        }

        foreach (var name in settings.Keys)
        {
            var ok = known.Contains(name)
                || prefixes.Any(p => name.StartsWith(p + "__", StringComparison.Ordinal))
                || DisableSetting().IsMatch(name);
            Assert.True(ok, $"{role}: the template sets '{name}', which no app, function or the Functions host reads (a typo?)");
        }
    }

    [Fact]
    public async Task AppSettings_EverySettingWithoutADefault_IsProvidedOrDeliberatelyUnset()
    {
        var provided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var transport in new[] { "ServiceBus", "StorageQueue" })
        {
            var snapshot = await InfraTemplate.ForTransportAsync(transport);
            foreach (var role in AppOfRole.Keys)
            {
                provided.UnionWith(snapshot.AppSettings(role).Keys);
            }
        }

        var defaults = SettingDefaults.HasDefault();
        var all = AppSettings.All();
        var missing = all.Where(s => !provided.Contains(s) && !DeliberatelyUnset.ContainsKey(s) && !defaults.GetValueOrDefault(s)).ToList();
        Assert.True(missing.Count == 0, "settings with no default in code that no app gets from infra/main.bicep: " + string.Join(", ", missing));
    }

    /// <summary>A function's bindings as the Worker SDK generated them into the app's functions.metadata.</summary>
    internal static IEnumerable<JsonObject> ReadBindings(string app, string function)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionAppContract.BuildOutput(app), "functions.metadata")))!.AsArray()
            .Single(f => (string?)f!["name"] == function)!["bindings"]!.AsArray().Select(b => b!.AsObject());

    private static void AssertScopedTo(JsonObject assignment, string resourceType)
    {
        // The assignment's id is <scope>/providers/Microsoft.Authorization/roleAssignments/<guid>,
        // the scope .../providers/<Namespace>/<type>/<name>[/<type>/<name>...].
        var id = (string)assignment["id"]!;
        var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase)];
        var provider = resourceType.Split('/')[0];
        var marker = $"/providers/{provider}/";
        var at = scope.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        Assert.True(at >= 0, $"role assignment scope {scope} is not a {resourceType}");
        var segments = scope[(at + marker.Length)..].Split('/');
        var types = segments.Where((_, i) => i % 2 == 0);
        Assert.True(types.SequenceEqual(resourceType.Split('/').Skip(1), StringComparer.OrdinalIgnoreCase), $"role assignment scope {scope} is not a {resourceType}");
    }

    [GeneratedRegex(@"%(?<name>[^%]+)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"^AzureWebJobs\.[^.]+\.Disabled$")]
    private static partial Regex DisableSetting();

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(VaultName=[A-Za-z0-9-]+;SecretName=(?<secret>[A-Za-z0-9-]+)\)$")]
    private static partial Regex KeyVaultSecretName();
}
