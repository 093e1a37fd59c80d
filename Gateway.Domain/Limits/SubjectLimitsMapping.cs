using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Limits;

/// <summary>Maps <see cref="SubjectLimits"/> onto the limit columns that <c>keys</c> and <c>users</c> share.</summary>
internal static class SubjectLimitsMapping
{
    public static void MapLimits<TEntity>(this EntityTypeBuilder<TEntity> builder, System.Linq.Expressions.Expression<Func<TEntity, SubjectLimits?>> limits)
        where TEntity : class
        => builder.ComplexProperty(limits, l =>
        {
            l.IsRequired();
            l.Property(x => x.CostLimitInUsd).HasColumnName("cost_limit_in_usd");
            l.Property(x => x.CostLimitInUsdOverTime).HasColumnName("cost_limit_in_usd_over_time");
            l.Property(x => x.CostLimitInUsdUnit).HasColumnName("cost_limit_in_usd_unit").HasMaxLength(4);
            l.Property(x => x.RateLimitOverTime).HasColumnName("rate_limit_over_time");
            l.Property(x => x.RateLimitUnit).HasColumnName("rate_limit_unit").HasMaxLength(4);
            l.Property(x => x.Ttl).HasColumnName("ttl").HasMaxLength(64);
            l.Property(x => x.AllowedPaths).HasColumnName("allowed_paths").HasJsonbConversion();
        });
}
