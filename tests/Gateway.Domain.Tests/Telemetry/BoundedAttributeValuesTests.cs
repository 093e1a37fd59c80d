using Gateway.Domain.Telemetry;

namespace Gateway.Domain.Tests.Telemetry;

public sealed class BoundedAttributeValuesTests
{
    [Fact]
    public void Admit_BeyondTheLimit_NewValuesBecomeOtherAndAdmittedOnesStay()
    {
        var values = new BoundedAttributeValues(2);

        Assert.Equal("gpt-4o", values.Admit("gpt-4o"));
        Assert.Equal("gpt-4o-mini", values.Admit("gpt-4o-mini"));
        Assert.Equal(BoundedAttributeValues.Other, values.Admit("made-up-model-1"));
        Assert.Equal(BoundedAttributeValues.Other, values.Admit("made-up-model-2"));
        Assert.Equal("gpt-4o", values.Admit("gpt-4o"));
        Assert.Equal("gpt-4o-mini", values.Admit("gpt-4o-mini"));
    }

    [Fact]
    public void Admit_ManyThreadsManyValues_NeverMoreThanTheLimitDistinct()
    {
        var values = new BoundedAttributeValues(50);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();

        Parallel.For(0, 2000, i => seen.TryAdd(values.Admit("value-" + (i % 500)), true));

        Assert.Equal(51, seen.Count);
        Assert.Contains(BoundedAttributeValues.Other, seen.Keys);
    }
}
