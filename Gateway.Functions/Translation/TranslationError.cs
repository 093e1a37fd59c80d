using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Translation;

/// <summary>A request field the target provider's format cannot express: a 400 that names it.</summary>
internal sealed record TranslationError(string Field, string Problem)
{
    public ProxyOutcome ToOutcome(string provider)
        => ProxyOutcome.BadRequest($"request body field '{Field}' cannot be sent to {provider}: {Problem}");
}
