using Gateway.Domain.Caching;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Caching;

/// <summary>
/// After a forwarded miss: seals and stores the captured answer when it is a complete 200 in the
/// shape the request asked for (a cut stream, an error, an overflowing or non-replayable answer is
/// not stored). Runs before the response ends, so the next identical request finds it. A store
/// failure is logged and counted, never the request's.
/// </summary>
internal sealed class CacheStoreStep(ResponseCacheStore store, ResponseCacheMetrics metrics) : IProxyStep
{
    public const int Order = ProxyStepOrder.Forward + 100;

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var taps = context.ResponseTaps;
        for (var i = 0; i < taps.Count; i++)
        {
            if (taps[i] is CacheCaptureTap tap)
            {
                return StoreAsync(context, tap);
            }
        }

        return StepResult.ContinueTask;
    }

    private async ValueTask<StepResult> StoreAsync(ProxyContext context, CacheCaptureTap tap)
    {
        var capture = tap.Capture;
        if (!tap.Completed || tap.Status != StatusCodes.Status200OK || context.Status != StatusCodes.Status200OK
            || context.ClientDisconnected || tap.IsEventStream != capture.Streamed)
        {
            return StepResult.Continue;
        }

        var usage = context.Usage.Usage;
        var entry = capture.Complete(usage?.PromptTokens ?? 0, usage?.CompletionTokens ?? 0);
        if (entry is null)
        {
            metrics.Skipped(capture.Overflowed ? "too_large" : "incomplete");
            return StepResult.Continue;
        }

        await store.SetAsync(tap.Slot, CacheEntryCodec.Seal(tap.Scope, tap.Slot, entry), tap.Ttl, CancellationToken.None);
        return StepResult.Continue;
    }
}
