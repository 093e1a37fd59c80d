using Gateway.Domain.Providers;
using Gateway.Domain.Routing;

namespace Gateway.Domain.Tests.Routing;

public sealed class WeightedRotationTests
{
    private static ProviderSetting Setting(string id, int? weight = null) => new()
    {
        Id = id,
        Provider = "openai",
        Parameters = weight is null ? [] : new() { [WeightedRotation.WeightParameter] = weight.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Fact]
    public void Next_EqualWeights_TakesEachInTurn()
    {
        var rotation = new WeightedRotation();
        ProviderSetting[] settings = [Setting("a"), Setting("b"), Setting("c")];

        var picks = Enumerable.Range(0, 6).Select(_ => settings[rotation.Next("key", settings)].Id).ToList();

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picks);
    }

    [Fact]
    public void Next_Weights_SpreadInProportionWithoutBursts()
    {
        var rotation = new WeightedRotation();
        ProviderSetting[] settings = [Setting("a", 2), Setting("b", 1)];

        var picks = Enumerable.Range(0, 6).Select(_ => settings[rotation.Next("key", settings)].Id).ToList();

        Assert.Equal(["a", "b", "a", "a", "b", "a"], picks);
    }

    [Fact]
    public void Next_KeysRotateIndependently()
    {
        var rotation = new WeightedRotation();
        ProviderSetting[] settings = [Setting("a"), Setting("b")];

        Assert.Equal(0, rotation.Next("k1", settings));
        Assert.Equal(0, rotation.Next("k2", settings));
        Assert.Equal(1, rotation.Next("k1", settings));
    }

    [Fact]
    public void Next_CandidateLeavesAndReturns_OthersShareMeanwhile()
    {
        var rotation = new WeightedRotation();
        ProviderSetting a = Setting("a"), b = Setting("b"), c = Setting("c");

        var picks = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ProviderSetting[] healthy = [a, c];
            picks.Add(healthy[rotation.Next("key", healthy)].Id);
        }

        Assert.Equal(["a", "c", "a", "c"], picks);
        Assert.DoesNotContain("b", picks);
        Assert.Contains("b", Enumerable.Range(0, 3).Select(_ => new[] { a, b, c }[rotation.Next("key", [a, b, c])].Id));
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("-3", 1)]
    [InlineData("x", 1)]
    [InlineData("5", 5)]
    [InlineData("99999", 1000)]
    public void WeightOf_ReadsTheWeightParameter(string value, int expected)
        => Assert.Equal(expected, WeightedRotation.WeightOf(new ProviderSetting { Id = "s", Provider = "openai", Parameters = new() { ["weight"] = value } }));
}
