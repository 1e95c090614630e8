// adapters/postgres/render_storage through RenderObjectDdl and RenderSchemaDdl: UNLOGGED, WITH,
// INHERITS, foreign tables and servers, view options, event triggers and aggregates, without a
// server (tests/integration/postgres/introspect_storage_test.cc runs them on one).
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "adapters/postgres/list_view.h"
#include "adapters/postgres/render.h"
#include "tests/adapters/postgres/render_testing.h"

namespace strata::postgres {
namespace {

using render_testing::At;
using render_testing::Ddl;
using render_testing::Parse;

// Keys chosen so that key order is the wrong order: the child "a.kid" sorts before its
// parents, the foreign table's server and the event trigger's function come from elsewhere.
constexpr char kSchema[] = R"pb(
  tables { key: "a.kid" value { schema: "a" name: "kid"
    columns { name: "x" type: "integer" identity: PG_IDENTITY_NONE }
    inherits: ["b.parent", "b.other parent"] } }
  tables { key: "b.parent" value { schema: "b" name: "parent"
    columns { name: "x" type: "integer" identity: PG_IDENTITY_NONE }
    inherits: ["b.other parent"] } }
  tables { key: "b.other parent" value { schema: "b" name: "other parent" } }
  tables { key: "app.cache" value { schema: "app" name: "cache" unlogged: true
    columns { name: "k" type: "text" identity: PG_IDENTITY_NONE }
    options: ["fillfactor=80", "toast.autovacuum_enabled=false"] comment: "hot" } }
  tables { key: "app.remote" value { schema: "app" name: "remote"
    columns { name: "id" type: "integer" not_null: true identity: PG_IDENTITY_NONE }
    foreign { server: "Remote" options: ["table_name=it's", "Schema=x"] } comment: "far" } }
  foreign_servers { key: "Remote" value { name: "Remote" wrapper: "postgres_fdw"
    options: ["host=db"] } }
  views { key: "app.v" value { schema: "app" name: "v" definition: " SELECT 1 AS one"
    options: ["check_option=cascaded", "security_barrier=true", "security_invoker=true"] } }
  views { key: "app.mv" value { schema: "app" name: "mv" materialized: true
    definition: " SELECT 1 AS one" options: ["fillfactor=70"] } }
  event_triggers { key: "watch" value { name: "watch" event: "ddl_command_end"
    function: "app.noop()" enabled: "R" } }
  functions { key: "app.noop()" value { schema: "app" name: "noop"
    definition: "CREATE OR REPLACE FUNCTION app.noop()\n RETURNS event_trigger\n"
                "AS $f$BEGIN END$f$" } }
  functions { key: "app.total(integer)" value { schema: "app" name: "total"
    identity_arguments: "integer" aggregate: true comment: "sum"
    definition: "CREATE OR REPLACE AGGREGATE app.total(integer) (\n    SFUNC = int4pl,\n"
                "    STYPE = integer\n)" } }
)pb";

TEST(RenderStorageTest, TablesWithPersistenceOptionsParentsAndServers) {
  auto s = Parse(kSchema);
  EXPECT_EQ(Ddl(s, "app.cache"),
            "CREATE UNLOGGED TABLE app.cache (\n    k text\n)\n"
            "WITH (fillfactor='80', toast.autovacuum_enabled='false');\n"
            "COMMENT ON TABLE app.cache IS 'hot';\n");
  EXPECT_EQ(Ddl(s, "a.kid"),
            "CREATE TABLE a.kid (\n    x integer\n) INHERITS (b.parent, b.\"other parent\");\n");
  EXPECT_EQ(Ddl(s, "b.other parent"), "CREATE TABLE b.\"other parent\" ();\n");
  EXPECT_EQ(Ddl(s, "app.remote"),
            "CREATE FOREIGN TABLE app.remote (\n    id integer NOT NULL\n)\n"
            "SERVER \"Remote\" OPTIONS (table_name 'it''s', \"Schema\" 'x');\n"
            "COMMENT ON FOREIGN TABLE app.remote IS 'far';\n");
}

TEST(RenderStorageTest, ViewOptionsGoAfterTheNameAndTheCheckOptionAfterTheQuery) {
  auto s = Parse(kSchema);
  EXPECT_EQ(Ddl(s, "app.v"),
            "CREATE VIEW app.v WITH (security_barrier='true', security_invoker='true') AS\n"
            " SELECT 1 AS one\nWITH CASCADED CHECK OPTION;\n");
  EXPECT_EQ(Ddl(s, "app.mv"),
            "CREATE MATERIALIZED VIEW app.mv WITH (fillfactor='70') AS\n SELECT 1 AS one;\n");
}

TEST(RenderStorageTest, ServersEventTriggersAndAggregatesByTheirNames) {
  auto s = Parse(kSchema);
  EXPECT_EQ(Ddl(s, "server:Remote"),
            "CREATE SERVER \"Remote\" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db');\n");
  EXPECT_EQ(Ddl(s, "evt:watch"),
            "CREATE EVENT TRIGGER watch ON ddl_command_end\n"
            "    EXECUTE FUNCTION app.noop();\n"
            "ALTER EVENT TRIGGER watch ENABLE REPLICA;\n");
  EXPECT_EQ(Ddl(s, "app.total(integer)"),
            "CREATE OR REPLACE AGGREGATE app.total(integer) (\n    SFUNC = int4pl,\n"
            "    STYPE = integer\n);\nCOMMENT ON AGGREGATE app.total(integer) IS 'sum';\n");
  EXPECT_FALSE(RenderObjectDdl(s, "evt:nope").ok());
  EXPECT_FALSE(RenderObjectDdl(s, "watch").ok());  // only under evt:
  EXPECT_EQ(ObjectKind(s, "evt:watch"), "event trigger");
  EXPECT_EQ(ObjectKind(s, "server:Remote"), "foreign server");
  EXPECT_EQ(ObjectKind(s, "app.remote"), "foreign table");
  EXPECT_EQ(ObjectKind(s, "app.total(integer)"), "aggregate");
}

TEST(RenderStorageTest, SchemaScriptPutsParentsServersAndEventTriggersInPlace) {
  const std::string ddl = RenderSchemaDdl(Parse(kSchema));
  const size_t server = At(ddl, "CREATE SERVER");
  const size_t noop = At(ddl, "CREATE OR REPLACE FUNCTION app.noop()");
  const size_t aggregate = At(ddl, "CREATE OR REPLACE AGGREGATE app.total");
  const size_t other = At(ddl, "CREATE TABLE b.\"other parent\"");
  const size_t parent = At(ddl, "CREATE TABLE b.parent");
  const size_t kid = At(ddl, "CREATE TABLE a.kid");
  const size_t remote = At(ddl, "CREATE FOREIGN TABLE app.remote");
  const size_t view = At(ddl, "CREATE VIEW app.v");
  const size_t comments = At(ddl, "COMMENT ON");
  const size_t trigger = At(ddl, "CREATE EVENT TRIGGER watch");
  EXPECT_LT(server, remote);
  EXPECT_LT(noop, aggregate);
  EXPECT_LT(aggregate, other);  // tables and views may use an aggregate
  EXPECT_LT(other, parent);
  EXPECT_LT(parent, kid);
  EXPECT_LT(kid, view);
  EXPECT_LT(comments, trigger);  // nothing runs after an event trigger could fire on it
  EXPECT_EQ(ddl.find("CREATE OR REPLACE AGGREGATE"), ddl.rfind("CREATE OR REPLACE AGGREGATE"));
}

}  // namespace
}  // namespace strata::postgres
