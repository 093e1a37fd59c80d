using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Costing;

/// <summary>
/// Price overrides: <c>Pricing__Overrides</c> is a JSON document shaped like the embedded
/// <c>prices.json</c> (<c>{"providers": {"vllm": {"models": {"llama-3-8b": {"input": 0.05, "output": 0.1}}},
/// "azure": {"deployments": {"my-gpt4o": {...}}}}}</c>), prices per 1M tokens. JSON rather than one
/// setting per model because model names (<c>meta-llama/Llama-3-8B</c>) are not valid app setting names.
/// </summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    public string? Overrides { get; set; }
}

internal sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Overrides))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            PriceTable.Parse(options.Overrides);
            return ValidateOptionsResult.Success;
        }
        catch (JsonException ex)
        {
            return ValidateOptionsResult.Fail($"The setting Pricing__Overrides must be JSON shaped like prices.json ({{\"providers\": {{\"<provider>\": {{\"models\": {{\"<model>\": {{\"input\": 0.5, \"output\": 1.5}}}}}}}}}}): {ex.Message}");
        }
    }
}
