using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Costing;

public static class CostingServiceCollectionExtensions
{
    /// <summary>The price table (embedded, with <c>Pricing__Overrides</c>) and the calculator.</summary>
    public static IServiceCollection AddGatewayCosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>());
        services.TryAddSingleton(static sp =>
        {
            var overrides = sp.GetRequiredService<IOptions<PricingOptions>>().Value.Overrides;
            return string.IsNullOrWhiteSpace(overrides) ? PriceTable.Default : PriceTable.WithOverrides(PriceTable.Parse(overrides));
        });
        services.TryAddSingleton<UsageCostCalculator>();
        return services;
    }
}
