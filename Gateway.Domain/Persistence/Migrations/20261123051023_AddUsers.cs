using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddUsers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    key_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    revoked = table.Column<bool>(type: "boolean", nullable: false),
                    revoked_reason = table.Column<string>(type: "text", nullable: true),
                    cost_limit_in_usd = table.Column<decimal>(type: "numeric", nullable: true),
                    cost_limit_in_usd_over_time = table.Column<decimal>(type: "numeric", nullable: true),
                    cost_limit_in_usd_unit = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    rate_limit_over_time = table.Column<int>(type: "integer", nullable: true),
                    rate_limit_unit = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    ttl = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    allowed_paths = table.Column<string>(type: "jsonb", nullable: false),
                    allowed_models = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_users_created_at",
                table: "users",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_users_key_ids",
                table: "users",
                column: "key_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_users_tags",
                table: "users",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_users_user_id",
                table: "users",
                column: "user_id");

            // Not expressible in the EF model (an array column in a unique index): see UserEntityConfiguration.
            migrationBuilder.Sql("CREATE UNIQUE INDEX \"UX_users_user_id_tags\" ON users (user_id, tags);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
