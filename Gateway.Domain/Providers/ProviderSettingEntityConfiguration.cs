using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Providers;

internal sealed class ProviderSettingEntityConfiguration : IEntityTypeConfiguration<ProviderSetting>
{
    public const string Table = "provider_settings";

    public void Configure(EntityTypeBuilder<ProviderSetting> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(s => s.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(s => s.Provider).HasColumnName("provider").HasMaxLength(128);
        builder.Property(s => s.Parameters).HasColumnName("parameters").HasJsonbConversion();
        builder.Property(s => s.EncryptedSecrets).HasColumnName("encrypted_secrets");
        builder.Property(s => s.AllowedModels).HasColumnName("allowed_models");
        builder.Property(s => s.CostMap).HasColumnName("cost_map").HasJsonbConversion();
        builder.Property(s => s.CreatedAt).HasColumnName("created_at");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
