using Gateway.Testing;

namespace Gateway.Deployment.Tests;

/// <summary>Every setting an app reads is in local.settings.sample.json and documented in the README.</summary>
public sealed class SettingsDocumentationTests
{
    public static TheoryData<string> Settings => [.. AppSettings.All()];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Setting_ReadByAnApp_IsInTheSampleSettings(string setting)
        => Assert.True(AppSettings.SampleValues().ContainsKey(setting), $"{setting} is read by an app but missing from local.settings.sample.json");

    [Theory]
    [MemberData(nameof(Settings))]
    public void Setting_ReadByAnApp_IsDocumentedInTheReadme(string setting)
        => Assert.Contains($"`{setting}`", File.ReadAllText(RepoPaths.Combine("README.md")), StringComparison.Ordinal);

    [Fact]
    public void SampleSettings_EveryEntry_IsDocumentedInTheReadme()
    {
        var readme = File.ReadAllText(RepoPaths.Combine("README.md"));
        var missing = AppSettings.SampleValues().Keys.Where(k => !readme.Contains($"`{k}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not documented in README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void SampleSettings_HoldNoRealSecrets()
    {
        var values = AppSettings.SampleValues();
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.DoesNotContain(values.Values, v => v.StartsWith("sk-", StringComparison.Ordinal));
    }
}
