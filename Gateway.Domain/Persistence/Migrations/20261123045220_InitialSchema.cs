using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "custom_providers",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    provider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    authentication_param = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    route_configs = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_custom_providers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    cost_in_usd = table.Column<decimal>(type: "numeric(20,10)", precision: 20, scale: 10, nullable: false),
                    provider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    model = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    prompt_token_count = table.Column<int>(type: "integer", nullable: false),
                    completion_token_count = table.Column<int>(type: "integer", nullable: false),
                    latency_in_ms = table.Column<int>(type: "integer", nullable: false),
                    path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    custom_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    request = table.Column<string>(type: "jsonb", nullable: true),
                    response = table.Column<string>(type: "jsonb", nullable: true),
                    user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    policy_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    route_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    correlation_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.event_id);
                });

            migrationBuilder.CreateTable(
                name: "keys",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    revoked = table.Column<bool>(type: "boolean", nullable: false),
                    revoked_reason = table.Column<string>(type: "text", nullable: true),
                    cost_limit_in_usd = table.Column<decimal>(type: "numeric", nullable: true),
                    cost_limit_in_usd_over_time = table.Column<decimal>(type: "numeric", nullable: true),
                    cost_limit_in_usd_unit = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    rate_limit_over_time = table.Column<int>(type: "integer", nullable: true),
                    rate_limit_unit = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    ttl = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    setting_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    allowed_paths = table.Column<string>(type: "jsonb", nullable: false),
                    should_log_request = table.Column<bool>(type: "boolean", nullable: false),
                    should_log_response = table.Column<bool>(type: "boolean", nullable: false),
                    rotation_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    policy_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_keys", x => x.key_id);
                });

            migrationBuilder.CreateTable(
                name: "provider_settings",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    provider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false),
                    encrypted_secrets = table.Column<byte[]>(type: "bytea", nullable: true),
                    allowed_models = table.Column<List<string>>(type: "text[]", nullable: false),
                    cost_map = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_provider_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "routes",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    path = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    key_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    retry_strategy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    request_format = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    cache_config = table.Column<string>(type: "jsonb", nullable: true),
                    steps = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_custom_providers_provider",
                table: "custom_providers",
                column: "provider",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_events_created_at",
                table: "events",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_events_custom_id",
                table: "events",
                column: "custom_id");

            migrationBuilder.CreateIndex(
                name: "IX_events_key_id_created_at",
                table: "events",
                columns: new[] { "key_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_events_user_id",
                table: "events",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_keys_key_hash",
                table: "keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_keys_tags",
                table: "keys",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_routes_path",
                table: "routes",
                column: "path",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "custom_providers");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "keys");

            migrationBuilder.DropTable(
                name: "provider_settings");

            migrationBuilder.DropTable(
                name: "routes");
        }
    }
}
