using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NextWaveEventFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cached",
                table: "events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "pii_entities",
                table: "events",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cached",
                table: "events");

            migrationBuilder.DropColumn(
                name: "pii_entities",
                table: "events");
        }
    }
}
