using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;
using Gateway.Functions.Providers;
using Gateway.Functions.Translation;

namespace Gateway.Functions.Routing;

/// <summary>
/// In place of <see cref="AttemptsStep"/> on a route: one <see cref="UpstreamAttempt"/> per step,
/// in order, each with the step's adapter, the key's first setting of that provider that allows
/// the step's model, the chat or embeddings path, <c>deploymentId</c> and <c>apiVersion</c>, the
/// body with the step's model and <c>requestParams</c>, and the step's timeout. The forward step
/// runs them with each step's retries (<see cref="RouteRetryPipelines"/>).
/// </summary>
/// <remarks>
/// A step on a provider with its own API (Anthropic) gets the body translated from the OpenAI
/// format and its answer translated back (<see cref="ChatTranslations"/>, shared with the one API);
/// such a step has no embeddings and is skipped on an embeddings route.
/// A step whose provider has no adapter here, or no setting of the key allowing its model, is
/// skipped (the key or the setting changed after the route was created); none left is a 403.
/// </remarks>
internal sealed class RouteAttemptsStep(ProviderAdapters adapters, RouteRetryPipelines pipelines) : IProxyStep
{
    private const string EmbeddingsFormat = "openai_embeddings";
    private const string DeploymentParameter = "deploymentId";
    private const string ApiVersionParameter = "apiVersion";

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var route = context.Route!;
        if (context.Body is not { } body)
        {
            return StepResult.EndTask(ProxyOutcome.BadRequest("a route takes a JSON body: an OpenAI chat completion or embeddings request"));
        }

        // The client's bytes, before RequestUsageChunk (which replaces the body) marks the request.
        var clientBody = body.Bytes.ToArray();
        var operation = string.Equals(route.RequestFormat, EmbeddingsFormat, StringComparison.Ordinal) ? "embeddings" : "chat/completions";
        for (var i = 0; i < route.Steps.Count; i++)
        {
            var step = route.Steps[i];
            if (!adapters.TryGet(step.Provider, out var adapter) || SettingFor(context.Settings, step) is not { } setting)
            {
                continue;
            }

            // OpenAI-style adapters serve v1/...; Azure serves the operation below its deployment.
            var path = adapter.IsKnownPath("v1/" + operation) ? "v1/" + operation : operation;
            var query = step.Params.TryGetValue(ApiVersionParameter, out var version) && !string.IsNullOrWhiteSpace(version)
                ? "?api-version=" + Uri.EscapeDataString(version)
                : null;
            var deployment = step.Params.GetValueOrDefault(DeploymentParameter);
            var probe = new UpstreamAttempt(adapter, setting, path, deployment) { Query = query };
            var includeUsage = body is { Stream: true, ClientAskedForUsage: false } && adapter.CanForceUsageChunk(context, probe);
            if (includeUsage && !body.UsageChunkRequested)
            {
                // Marks the request so the relay hides the usage chunk the client did not ask for.
                body.RequestUsageChunk();
            }

            if (RouteRequestBody.Rewrite(clientBody, step, includeUsage) is not { } bytes)
            {
                return StepResult.EndTask(ProxyOutcome.BadRequest("a route takes a JSON object body: an OpenAI chat completion or embeddings request"));
            }

            if (ChatTranslations.For(adapter) is { } translation)
            {
                // A provider with its own API (Anthropic): the step's body translated, the answer translated back.
                if (operation == "embeddings")
                {
                    continue;
                }

                var translated = translation.TranslateRequest(bytes, step.Model);
                if (translated.Error is { } error)
                {
                    return StepResult.EndTask(error.ToOutcome(adapter.Name));
                }

                var request = translated.Request!;
                context.Attempts.Add(new UpstreamAttempt(adapter, setting, translation.PathFor(request), deployment)
                {
                    Model = step.Model,
                    Body = request.Body,
                    Headers = translation.Headers,
                    Translation = translation.CreateResponseTransform(request, context.CreatedAt.ToUnixTimeSeconds()),
                    HeadersTimeout = pipelines.For(route, i).Policy.Timeout,
                    RouteStep = i,
                });
                continue;
            }

            context.Attempts.Add(new UpstreamAttempt(adapter, setting, path, deployment)
            {
                Query = query,
                Model = step.Model,
                Body = bytes,
                HeadersTimeout = pipelines.For(route, i).Policy.Timeout,
                RouteStep = i,
            });
        }

        return context.Attempts.Count == 0
            ? StepResult.EndTask(ProxyOutcome.Forbidden($"no step of route {route.Path} has a provider setting of this key that allows its model"))
            : StepResult.ContinueTask;
    }

    private static ProviderSetting? SettingFor(List<ProviderSetting> settings, RouteStep step)
    {
        foreach (var setting in settings)
        {
            if (string.Equals(setting.Provider, step.Provider, StringComparison.Ordinal)
                && (setting.AllowedModels.Count == 0 || setting.AllowedModels.Contains(step.Model, StringComparer.Ordinal)))
            {
                return setting;
            }
        }

        return null;
    }
}
