using Gateway.Functions.Pipeline;
using Gateway.Functions.Translation;

namespace Gateway.Functions.OneApi;

/// <summary>
/// One-API requests only: the attempts (one per setting, in the rotation's order) are re-aimed at
/// the resolved provider's adapter, translated when it does not speak OpenAI
/// (<see cref="TranslatedAttempts"/>).
/// </summary>
internal sealed class OneApiAttemptsStep(TimeProvider time) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.OneApi is not { } resolution)
        {
            return StepResult.ContinueTask;
        }

        var embeddings = OneApiOperations.TryParse(context.Path, out var operation) && operation == OneApiOperation.Embeddings;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < context.Attempts.Count; i++)
        {
            var (attempt, error) = TranslatedAttempts.Create(context, resolution.Target, context.Attempts[i].Setting, resolution.UpstreamModel, embeddings, created);
            if (attempt is null)
            {
                return StepResult.EndTask(error!);
            }

            context.Attempts[i] = attempt;
        }

        return StepResult.ContinueTask;
    }
}
