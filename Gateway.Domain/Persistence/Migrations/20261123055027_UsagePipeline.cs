using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UsagePipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "cache_read_cost_in_usd",
                table: "events",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "cache_write_cost_in_usd",
                table: "events",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "cached_prompt_cost_in_usd",
                table: "events",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "charged_user_id",
                table: "events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "completion_cost_in_usd",
                table: "events",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "prompt_cost_in_usd",
                table: "events",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<bool>(
                name: "spend_applied",
                table: "events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "unknown_model",
                table: "events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "usage_estimated",
                table: "events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_events_charged_user_id_created_at",
                table: "events",
                columns: new[] { "charged_user_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_events_charged_user_id_created_at",
                table: "events");

            migrationBuilder.DropColumn(
                name: "cache_read_cost_in_usd",
                table: "events");

            migrationBuilder.DropColumn(
                name: "cache_write_cost_in_usd",
                table: "events");

            migrationBuilder.DropColumn(
                name: "cached_prompt_cost_in_usd",
                table: "events");

            migrationBuilder.DropColumn(
                name: "charged_user_id",
                table: "events");

            migrationBuilder.DropColumn(
                name: "completion_cost_in_usd",
                table: "events");

            migrationBuilder.DropColumn(
                name: "prompt_cost_in_usd",
                table: "events");

            migrationBuilder.DropColumn(
                name: "spend_applied",
                table: "events");

            migrationBuilder.DropColumn(
                name: "unknown_model",
                table: "events");

            migrationBuilder.DropColumn(
                name: "usage_estimated",
                table: "events");
        }
    }
}
