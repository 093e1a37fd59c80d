using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Privacy;

internal sealed class PolicyEntityConfiguration : IEntityTypeConfiguration<Policy>
{
    public const string Table = "policies";

    public void Configure(EntityTypeBuilder<Policy> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(p => p.Tags).HasColumnName("tags");
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.Property(p => p.Config).HasColumnName("config").HasJsonbConversion();
        builder.Property(p => p.RegexConfig).HasColumnName("regex_config").HasJsonbConversion();
        builder.Property(p => p.CustomConfig).HasColumnName("custom_config").HasJsonbConversion();
        builder.Property(p => p.ScanResponses).HasColumnName("scan_responses");
        builder.Property(p => p.FailOpen).HasColumnName("fail_open").HasDefaultValue(true);
    }
}
