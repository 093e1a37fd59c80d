using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Providers;

internal sealed class CustomProviderEntityConfiguration : IEntityTypeConfiguration<CustomProvider>
{
    public const string Table = "custom_providers";

    public void Configure(EntityTypeBuilder<CustomProvider> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(p => p.Provider).HasColumnName("provider").HasMaxLength(128);
        builder.HasIndex(p => p.Provider).IsUnique();
        builder.Property(p => p.AuthenticationParam).HasColumnName("authentication_param").HasMaxLength(128);
        builder.Property(p => p.RouteConfigs).HasColumnName("route_configs").HasJsonbConversion();
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}
