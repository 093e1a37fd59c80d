using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class KeyCacheFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cache_mode",
                table: "keys",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cache_scope",
                table: "keys",
                type: "character varying(261)",
                maxLength: 261,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cache_ttl",
                table: "keys",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cache_mode",
                table: "keys");

            migrationBuilder.DropColumn(
                name: "cache_scope",
                table: "keys");

            migrationBuilder.DropColumn(
                name: "cache_ttl",
                table: "keys");
        }
    }
}
