using Gateway.Domain.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Keys;

internal sealed class ApiKeyEntityConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public const string Table = "keys";

    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasColumnName("key_id").HasMaxLength(64);
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(k => k.KeyHash).HasColumnName("key_hash").HasMaxLength(64);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.Property(k => k.Tags).HasColumnName("tags");
        builder.HasIndex(k => k.Tags).HasMethod("gin");
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
        builder.Property(k => k.UpdatedAt).HasColumnName("updated_at");
        builder.Property(k => k.Revoked).HasColumnName("revoked");
        builder.Property(k => k.RevokedReason).HasColumnName("revoked_reason");
        builder.MapLimits(k => k.Limits);
        builder.Property(k => k.SettingIds).HasColumnName("setting_ids");
        builder.Property(k => k.ShouldLogRequest).HasColumnName("should_log_request");
        builder.Property(k => k.ShouldLogResponse).HasColumnName("should_log_response");
        builder.Property(k => k.RotationEnabled).HasColumnName("rotation_enabled");
        builder.Property(k => k.PolicyId).HasColumnName("policy_id").HasMaxLength(64);
        builder.Property(k => k.CacheMode).HasColumnName("cache_mode").HasMaxLength(16);
        builder.Property(k => k.CacheTtl).HasColumnName("cache_ttl").HasMaxLength(64);
        builder.Property(k => k.CacheScope).HasColumnName("cache_scope").HasMaxLength(261);
    }
}
