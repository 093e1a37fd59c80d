using Microsoft.Extensions.Options;

namespace Gateway.Domain.Hosting;

/// <summary>
/// Wraps a (source-generated) options validator so that every failure names the app setting to
/// fix, e.g. <c>ConfigCache__VersionCheckInterval</c>, whatever message the validator produced.
/// </summary>
public sealed class NamedSettingsValidator<TOptions>(string section, IValidateOptions<TOptions> inner, IReadOnlyDictionary<string, string>? settingNames = null) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = inner.Validate(name, options);
        if (!result.Failed)
        {
            return result;
        }

        return ValidateOptionsResult.Fail(result.Failures?.Select(Describe) ?? [result.FailureMessage]);
    }

    // Generated failures read "Member.Path: message"; the setting is Section__Member__Path.
    private string Describe(string failure)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || failure[..colon].Contains(' ', StringComparison.Ordinal))
        {
            return failure;
        }

        var member = failure[..colon];
        var setting = settingNames?.GetValueOrDefault(member) ?? $"{section}__{member.Replace(".", "__", StringComparison.Ordinal)}";
        var message = failure[(colon + 2)..];
        return message.Contains(setting, StringComparison.Ordinal) ? message : $"The setting {setting} is invalid: {message}";
    }
}

public static class NamedSettingsValidatorExtensions
{
    /// <summary>Registers <paramref name="validator"/> so that its failures name the settings of <paramref name="section"/>.</summary>
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddSettingsValidator<TOptions>(
        this Microsoft.Extensions.DependencyInjection.IServiceCollection services,
        string section,
        IValidateOptions<TOptions> validator,
        IReadOnlyDictionary<string, string>? settingNames = null)
        where TOptions : class
    {
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddEnumerable(
            services,
            Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new NamedSettingsValidator<TOptions>(section, validator, settingNames)));
        return services;
    }
}
