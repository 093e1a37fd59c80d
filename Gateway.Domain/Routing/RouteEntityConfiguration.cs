using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Routing;

internal sealed class RouteEntityConfiguration : IEntityTypeConfiguration<Route>
{
    public const string Table = "routes";

    public void Configure(EntityTypeBuilder<Route> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(r => r.Path).HasColumnName("path").HasMaxLength(512);
        builder.HasIndex(r => r.Path).IsUnique();
        builder.Property(r => r.KeyIds).HasColumnName("key_ids");
        builder.Property(r => r.RetryStrategy).HasColumnName("retry_strategy").HasMaxLength(32);
        builder.Property(r => r.RequestFormat).HasColumnName("request_format").HasMaxLength(64);
        builder.Property(r => r.CacheConfig).HasColumnName("cache_config").HasJsonbConversion();
        builder.Property(r => r.Steps).HasColumnName("steps").HasJsonbConversion();
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
    }
}
