using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Redis;

/// <summary>Redis settings: <c>ConnectionStrings__Redis</c>, <c>Redis__KeyPrefix</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    [Required(ErrorMessage = "The setting ConnectionStrings__Redis (a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379) is required.")]
    [SettingName("ConnectionStrings__Redis")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Prefix of every key and channel the gateway uses, so that deployments (and tests) can share a server.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "The setting Redis__KeyPrefix must not be empty.")]
    public string KeyPrefix { get; set; } = "gw:";
}

[OptionsValidator]
internal sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>;
