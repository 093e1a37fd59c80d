using System.Diagnostics;

namespace Gateway.Testing;

/// <summary>Polls a condition that another process or thread makes true, with a deadline.</summary>
public static class Eventually
{
    /// <summary>Returns how long it took; throws when <paramref name="timeout"/> passes first.</summary>
    public static async Task<TimeSpan> AssertAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Not true within {timeout.TotalMilliseconds} ms: {because}");
            }

            await Task.Delay(10);
        }

        return watch.Elapsed;
    }
}
