using Gateway.Domain.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Domain.Users;

internal sealed class UserEntityConfiguration : IEntityTypeConfiguration<User>
{
    public const string Table = "users";
    public const string UniqueUserIdTagsIndex = "UX_users_user_id_tags";

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(u => u.UserId).HasColumnName("user_id").HasMaxLength(256);
        builder.Property(u => u.Tags).HasColumnName("tags");
        builder.Property(u => u.KeyIds).HasColumnName("key_ids");
        builder.Property(u => u.Revoked).HasColumnName("revoked");
        builder.Property(u => u.RevokedReason).HasColumnName("revoked_reason");
        builder.MapLimits(u => u.Limits);
        builder.Property(u => u.AllowedModels).HasColumnName("allowed_models");
        builder.Property(u => u.CreatedAt).HasColumnName("created_at");
        builder.Property(u => u.UpdatedAt).HasColumnName("updated_at");

        // (user id, sorted tags) identifies a user: PATCH /api/users?userId=&tags= addresses it that way.
        // EF cannot model a unique index over an array column, so the AddUsers migration creates
        // UniqueUserIdTagsIndex in SQL; this index serves lookups by user id.
        builder.HasIndex(u => u.UserId);
        builder.HasIndex(u => u.Tags).HasMethod("gin");
        builder.HasIndex(u => u.KeyIds).HasMethod("gin");
        builder.HasIndex(u => u.CreatedAt);
    }
}
