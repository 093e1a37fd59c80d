using Gateway.Testing;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// Every setting an app requires at startup, as the app itself reports it (see
/// <see cref="RequiredSettingsProbe"/>), is provided to that app by infra/main.bicep, for each usage
/// transport. A new required setting without a template value fails here.
/// </summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class DeploymentSettingsTests(PublishedApps published)
{
    public static TheoryData<string, string> RolesAndTransports => InfraTemplateTests.RolesAndTransports;

    /// <summary>From nothing: the app names what it needs, one failure at a time (only the transport is given).</summary>
    [Theory]
    [MemberData(nameof(RolesAndTransports))]
    public async Task RequiredAtStartup_FromAnEmptyConfiguration_IsProvidedByTheTemplate(string role, string transport)
    {
        var template = (await InfraTemplate.ForTransportAsync(transport)).AppSettings(role);
        var preset = new Dictionary<string, string>();
        if (template.TryGetValue("UsageTransport", out var chosen))
        {
            preset["UsageTransport"] = chosen;
        }

        await ProbeAndAssertAsync(role, transport, template, preset);
    }

    /// <summary>
    /// From the template's settings (values that only Azure knows replaced by local or well-formed
    /// ones): catches requirements that depend on other settings (e.g. an identity-based queue URI
    /// that also needs the blob URI).
    /// </summary>
    [Theory]
    [MemberData(nameof(RolesAndTransports))]
    public async Task RequiredAtStartup_FromTheTemplateSettings_IsProvidedByTheTemplate(string role, string transport)
    {
        var template = (await InfraTemplate.ForTransportAsync(transport)).AppSettings(role);
        var preset = template.Keys.ToDictionary(k => k, k => CandidateValue(template, k) ?? RequiredSettingsProbe.DummyValue(k));
        await ProbeAndAssertAsync(role, transport, template, preset);
    }

    private async Task ProbeAndAssertAsync(string role, string transport, IReadOnlyDictionary<string, string> template, Dictionary<string, string> preset)
    {
        var app = InfraTemplateTests.AppOfRole[role];
        var result = await RequiredSettingsProbe.RunAsync(
            Path.Combine(published.Folder(app), app),
            preset,
            name => CandidateValue(template, name),
            group => group.FirstOrDefault(template.ContainsKey),
            KnownSettings);

        Assert.True(
            result.Started,
            $"{app} did not start within {RequiredSettingsProbe.MaxRounds} rounds, so the probe may not have seen every required setting. "
            + $"Supplied: {string.Join(", ", result.Supplied.Keys)}. Last output:\n{result.LastOutput}");

        var missing = result.Requirements.Where(group => !group.Any(template.ContainsKey)).Select(g => string.Join(" or ", g)).ToList();
        Assert.True(
            missing.Count == 0,
            $"{app} requires at startup, but infra/main.bicep does not set for it ({transport}): {string.Join("; ", missing)}");
    }

    private static readonly IReadOnlySet<string> KnownSettings = new HashSet<string>(AppSettings.All().Concat(AppSettings.SampleValues().Keys), StringComparer.Ordinal);

    // A value that lets the app get past validation locally: the template's own value when it is a
    // literal (not an ARM expression or a Key Vault reference), else the sample's (local services).
    private static string? CandidateValue(IReadOnlyDictionary<string, string> template, string name)
        => template.TryGetValue(name, out var value) && value.Length > 0 && !value.StartsWith('[') && !value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) ? value
            : AppSettings.SampleValues().GetValueOrDefault(name) is { Length: > 0 } sample ? sample
            : null;

    [Fact]
    public void Probe_ParsesSettingNamesOutOfStartupFailures()
    {
        const string output = """
            warn: Gateway.Admin[1]
                  Admin__Secret is empty: loopback callers only
            fail: Microsoft.Extensions.Hosting.Internal.Host[11]
                  Hosting failed to start
                  System.AggregateException: One or more errors occurred. (The setting ConnectionStrings__Postgres (a PostgreSQL connection string) is required.) (Set exactly one of ServiceBus__ConnectionString (SAS) and ServiceBus__FullyQualifiedNamespace (Microsoft Entra ID).)
                     at Microsoft.Extensions.DependencyInjection.OptionsBuilderExtensions.<>c__DisplayClass0_1`1.<ValidateOnStart>b__1()
            Unhandled exception. Microsoft.Extensions.Options.OptionsValidationException: The setting Encryption__Key must be base64 of exactly 32 bytes.; ServiceBus__QueueName is required (or an EntityPath in the connection string).
                  Microsoft.Extensions.Options.OptionsValidationException: With UsageTransport=ServiceBus set exactly one of UsageServiceBus (a SAS connection string) and UsageServiceBus__fullyQualifiedNamespace (Microsoft Entra ID).
            """;
        var known = new HashSet<string> { "UsageServiceBus", "UsageQueueStorage", "UsageTransport" };
        var groups = RequiredSettingsProbe.NamedSettings(output, known).Select(g => string.Join(" ", g)).ToList();
        Assert.Equal(
            ["ConnectionStrings__Postgres", "ServiceBus__ConnectionString ServiceBus__FullyQualifiedNamespace", "Encryption__Key", "ServiceBus__QueueName", "UsageServiceBus UsageServiceBus__fullyQualifiedNamespace"],
            groups);
    }
}
