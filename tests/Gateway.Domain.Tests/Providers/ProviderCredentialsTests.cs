using Gateway.Domain.Providers;

namespace Gateway.Domain.Tests.Providers;

public sealed class ProviderCredentialsTests
{
    [Theory]
    [InlineData("apiKey", "apikey")]
    [InlineData("apikey", "apikey")]
    [InlineData("APIKEY", "APIKEY")]
    [InlineData("resourceName", "resourceName")]
    public void NormalizeName_ApiKeyCamelCase_BecomesApikey(string name, string expected)
        => Assert.Equal(expected, ProviderCredentials.NormalizeName(name));

    [Fact]
    public void Split_CredentialsAndAuthenticationParam_AreSecret()
    {
        var setting = new Dictionary<string, string>
        {
            ["apikey"] = "a",
            ["awsAccessKeyId"] = "b",
            ["awsSecretAccessKey"] = "c",
            ["Token"] = "d",
            ["resourceName"] = "e",
            ["url"] = "f",
            ["awsRegion"] = "g",
        };

        var (parameters, secrets) = ProviderCredentials.Split(setting, authenticationParam: "token");

        Assert.Equal(new HashSet<string> { "apikey", "awsAccessKeyId", "awsSecretAccessKey", "Token" }, secrets.Keys.ToHashSet());
        Assert.Equal(new HashSet<string> { "resourceName", "url", "awsRegion" }, parameters.Keys.ToHashSet());
    }

    [Fact]
    public void Split_NoAuthenticationParam_OnlyKnownCredentialsAreSecret()
    {
        var (parameters, secrets) = ProviderCredentials.Split(new Dictionary<string, string> { ["token"] = "x", ["apikey"] = "y" }, authenticationParam: null);

        Assert.Equal(["apikey"], secrets.Keys);
        Assert.Equal(["token"], parameters.Keys);
    }
}
