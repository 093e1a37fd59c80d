using Gateway.Domain.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Domain.Tests.Hosting;

public sealed class LocalSettingsConfigurationSourceTests
{
    [Fact]
    public void Load_Values_DoubleUnderscoreBecomesSectionSeparator()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {
                  "IsEncrypted": false,
                  // func tolerates comments
                  "Values": { "ConnectionStrings__Redis": "127.0.0.1:6379", "ConfigRefreshSchedule": "0 */5 * * * *", "Flag": true }
                }
                """);
            var configuration = new ConfigurationBuilder().Add(new LocalSettingsConfigurationSource(path)).Build();

            Assert.Equal("127.0.0.1:6379", configuration.GetConnectionString("Redis"));
            Assert.Equal("0 */5 * * * *", configuration["ConfigRefreshSchedule"]);
            Assert.Equal("true", configuration["Flag"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
