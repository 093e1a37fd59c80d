using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Persistence;

/// <summary>PostgreSQL settings: <c>ConnectionStrings__Postgres</c>, <c>Database__ApplyMigrationsAtStartup</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required(ErrorMessage = "The setting ConnectionStrings__Postgres (a PostgreSQL connection string) is required.")]
    [SettingName("ConnectionStrings__Postgres")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending EF Core migrations when the app starts (admin and ingest).</summary>
    public bool ApplyMigrationsAtStartup { get; set; }
}

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
