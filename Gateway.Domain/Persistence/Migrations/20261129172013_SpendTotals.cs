using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SpendTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "spend_totals",
                columns: table => new
                {
                    owner_kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    owner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    unit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    window_start = table.Column<long>(type: "bigint", nullable: false),
                    nano_usd = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spend_totals", x => new { x.owner_kind, x.owner_id, x.unit, x.window_start });
                });

            // The running totals start as the sums of the events applied so far, rounded per event to
            // nano-dollars as ingest adds them: every total, and the windows not over yet.
            migrationBuilder.Sql(BackfillSql);
        }

        private const string BackfillSql = """
            WITH applied AS (
                SELECT key_id, charged_user_id, created_at, ROUND(cost_in_usd * 1000000000)::bigint AS nano
                FROM events WHERE spend_applied AND cost_in_usd <> 0
            ), owners AS (
                SELECT 'key' AS kind, key_id AS id, created_at, nano FROM applied
                UNION ALL
                SELECT 'user', charged_user_id, created_at, nano FROM applied WHERE charged_user_id IS NOT NULL
            ), now_utc AS (
                SELECT (now() AT TIME ZONE 'UTC') AS t
            ), windows AS (
                SELECT 'm' AS unit, extract(epoch FROM date_trunc('minute', t))::bigint AS start FROM now_utc
                UNION ALL SELECT 'h', extract(epoch FROM date_trunc('hour', t))::bigint FROM now_utc
                UNION ALL SELECT 'd', extract(epoch FROM date_trunc('day', t))::bigint FROM now_utc
                UNION ALL SELECT 'mo', extract(epoch FROM date_trunc('month', t))::bigint FROM now_utc
            )
            INSERT INTO spend_totals (owner_kind, owner_id, unit, window_start, nano_usd)
            SELECT kind, id, 'total', 0, SUM(nano) FROM owners GROUP BY kind, id
            UNION ALL
            SELECT o.kind, o.id, w.unit, w.start, SUM(o.nano) FROM owners o JOIN windows w ON o.created_at >= w.start
            GROUP BY o.kind, o.id, w.unit, w.start;
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "spend_totals");
        }
    }
}
