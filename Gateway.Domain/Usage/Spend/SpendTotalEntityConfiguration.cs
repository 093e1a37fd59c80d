using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Usage.Spend;

internal sealed class SpendTotalEntityConfiguration : IEntityTypeConfiguration<SpendTotal>
{
    public const string Table = "spend_totals";

    public void Configure(EntityTypeBuilder<SpendTotal> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(t => new { t.OwnerKind, t.OwnerId, t.Unit, t.WindowStart });
        builder.Property(t => t.OwnerKind).HasColumnName("owner_kind").HasMaxLength(8);
        builder.Property(t => t.OwnerId).HasColumnName("owner_id").HasMaxLength(64);
        builder.Property(t => t.Unit).HasColumnName("unit").HasMaxLength(8);
        builder.Property(t => t.WindowStart).HasColumnName("window_start");
        builder.Property(t => t.NanoUsd).HasColumnName("nano_usd");
    }
}
