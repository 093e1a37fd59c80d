using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;
using NCrontab;

namespace Gateway.Ingest.Functions.ConfigRefresh;

/// <summary>
/// When the config cache is rebuilt from PostgreSQL. <c>ConfigRefreshSchedule</c> is a flat name
/// because the Functions host resolves it in the timer trigger's schedule
/// (<c>%ConfigRefreshSchedule%</c>), and a name with <c>__</c> would not resolve there.
/// </summary>
internal sealed class ConfigRefreshOptions : IValidatableObject
{
    public const string ScheduleSetting = "ConfigRefreshSchedule";

    /// <summary>Six-field NCRONTAB (with seconds), the timer trigger's syntax. Default: every minute.</summary>
    [SettingName(ScheduleSetting)]
    public string Schedule { get; set; } = "0 */1 * * * *";

    /// <summary>Standalone only: also rebuild once at startup (<c>ConfigRefresh__RunOnStartup</c>).</summary>
    public bool RunOnStartup { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrontabSchedule.TryParse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
        {
            yield return new ValidationResult(
                $"The setting {ScheduleSetting} must be a six-field NCRONTAB expression such as '0 */1 * * * *'; got '{Schedule}'.",
                [nameof(Schedule)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class ConfigRefreshOptionsValidator : IValidateOptions<ConfigRefreshOptions>;
