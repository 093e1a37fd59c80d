using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Usage;

internal sealed class UsageEventEntityConfiguration : IEntityTypeConfiguration<UsageEvent>
{
    public const string Table = "events";

    public void Configure(EntityTypeBuilder<UsageEvent> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasColumnName("event_id").HasMaxLength(64);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.Tags).HasColumnName("tags");
        builder.Property(e => e.KeyId).HasColumnName("key_id").HasMaxLength(64);
        builder.Property(e => e.CostInUsd).HasColumnName("cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.Provider).HasColumnName("provider").HasMaxLength(128);
        builder.Property(e => e.Model).HasColumnName("model").HasMaxLength(256);
        builder.Property(e => e.StatusCode).HasColumnName("status_code");
        builder.Property(e => e.PromptTokenCount).HasColumnName("prompt_token_count");
        builder.Property(e => e.CompletionTokenCount).HasColumnName("completion_token_count");
        builder.Property(e => e.LatencyInMs).HasColumnName("latency_in_ms");
        builder.Property(e => e.Path).HasColumnName("path").HasMaxLength(1024);
        builder.Property(e => e.Method).HasColumnName("method").HasMaxLength(16);
        builder.Property(e => e.CustomId).HasColumnName("custom_id").HasMaxLength(256);
        builder.Property(e => e.Request).HasColumnName("request").HasColumnType("jsonb");
        builder.Property(e => e.Response).HasColumnName("response").HasColumnType("jsonb");
        builder.Property(e => e.UserId).HasColumnName("user_id").HasMaxLength(256);
        builder.Property(e => e.Action).HasColumnName("action").HasMaxLength(16);
        builder.Property(e => e.PolicyId).HasColumnName("policy_id").HasMaxLength(64);
        builder.Property(e => e.PiiEntities).HasColumnName("pii_entities").HasColumnType("jsonb");
        builder.Property(e => e.Cached).HasColumnName("cached").HasDefaultValue(false);
        builder.Property(e => e.RouteId).HasColumnName("route_id").HasMaxLength(64);
        builder.Property(e => e.CorrelationId).HasColumnName("correlation_id").HasMaxLength(128);
        builder.Property(e => e.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
        builder.Property(e => e.PromptCostInUsd).HasColumnName("prompt_cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.CachedPromptCostInUsd).HasColumnName("cached_prompt_cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.CompletionCostInUsd).HasColumnName("completion_cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.CacheWriteCostInUsd).HasColumnName("cache_write_cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.CacheReadCostInUsd).HasColumnName("cache_read_cost_in_usd").HasPrecision(20, 10);
        builder.Property(e => e.UsageEstimated).HasColumnName("usage_estimated");
        builder.Property(e => e.UnknownModel).HasColumnName("unknown_model");
        builder.Property(e => e.SpendApplied).HasColumnName("spend_applied");
        builder.Property(e => e.ChargedUserId).HasColumnName("charged_user_id").HasMaxLength(64);

        // Analytics filter by key and time range, and by custom id / user id.
        builder.HasIndex(e => new { e.KeyId, e.CreatedAt });
        builder.HasIndex(e => e.CreatedAt);
        builder.HasIndex(e => e.CustomId);
        builder.HasIndex(e => e.UserId);

        // The spend rebuild sums applied events per end user and window.
        builder.HasIndex(e => new { e.ChargedUserId, e.CreatedAt });
    }
}
