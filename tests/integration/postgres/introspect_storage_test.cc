// adapters/postgres/introspect_storage and render_storage against the test cluster: UNLOGGED and
// storage parameters (the TOAST table's too), view options, legacy INHERITS, foreign tables and
// servers, event triggers and aggregates, read field by field, then rendered into an empty
// database and read back the same.
#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "adapters/postgres/render.h"
#include "engine/state/postgres_keys.h"
#include "integration/postgres/introspect_fixture.h"

namespace strata::postgres {
namespace {

using V = std::vector<std::string>;

constexpr char kStorage[] = R"sql(
CREATE SCHEMA app;
CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v text)
  WITH (fillfactor = 80, toast.autovacuum_enabled = false);
CREATE TABLE app.plain (id integer);
CREATE VIEW app.v_sec WITH (security_barrier = true) AS
  SELECT k, v FROM app.cache WHERE v IS NOT NULL WITH LOCAL CHECK OPTION;
CREATE VIEW app.v_casc AS SELECT k FROM app.v_sec WITH CASCADED CHECK OPTION;
CREATE MATERIALIZED VIEW app.mv WITH (fillfactor = 70) AS SELECT k FROM app.cache WITH NO DATA;
CREATE TABLE app.base1 (a integer, b integer CHECK (b > 0));
CREATE TABLE app.base2 (a integer, c text);
CREATE TABLE app.kid (d integer) INHERITS (app.base2, app.base1);
COMMENT ON TABLE app.kid IS 'two parents';
)sql";

// pg_inherits holds partitions too; they are not legacy inheritance.
constexpr char kPartitions[] = R"sql(
CREATE TABLE app.parted (x integer) PARTITION BY LIST (x);
CREATE TABLE app.parted_1 PARTITION OF app.parted FOR VALUES IN (1);
)sql";

constexpr char kForeign[] = R"sql(
CREATE EXTENSION postgres_fdw;
CREATE SERVER remote TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'db.example', port '5432', dbname 'app');
COMMENT ON SERVER remote IS 'the other db';
GRANT USAGE ON FOREIGN SERVER remote TO PUBLIC;
CREATE USER MAPPING FOR CURRENT_USER SERVER remote OPTIONS (user 'remote', password 'secret');
CREATE FOREIGN TABLE app.remote_users (id integer NOT NULL, name text)
  SERVER remote OPTIONS (schema_name 'public', table_name 'users');
COMMENT ON FOREIGN TABLE app.remote_users IS 'over there';
)sql";

constexpr char kEventTriggersAndAggregates[] = R"sql(
CREATE FUNCTION app.noop() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER guard ON sql_drop WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA')
  EXECUTE FUNCTION app.noop();
ALTER EVENT TRIGGER guard DISABLE;
COMMENT ON EVENT TRIGGER guard IS 'watch drops';
CREATE EVENT TRIGGER every ON ddl_command_end EXECUTE FUNCTION app.noop();
ALTER EVENT TRIGGER every ENABLE ALWAYS;
CREATE AGGREGATE app.concat_all(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer, PARALLEL = SAFE);
COMMENT ON AGGREGATE app.total(integer) IS 'sum';
REVOKE EXECUTE ON FUNCTION app.total(integer) FROM PUBLIC;
CREATE AGGREGATE app.msum(integer) (SFUNC = int4pl, STYPE = integer,
  MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = integer, INITCOND = '0', MINITCOND = '0');
CREATE AGGREGATE app.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE AGGREGATE app.my_mode(ORDER BY anyelement) (SFUNC = ordered_set_transition,
  STYPE = internal, FINALFUNC = mode_final, FINALFUNC_EXTRA);
COMMENT ON AGGREGATE app.my_mode(ORDER BY anyelement) IS 'most common';
CREATE AGGREGATE app.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
  SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final,
  FINALFUNC_EXTRA, HYPOTHETICAL);
)sql";

class IntrospectStorageTest : public IntrospectTest {
 protected:
  template <typename Repeated>
  static V List(const Repeated& items) {
    return V(items.begin(), items.end());
  }
  static V ColumnNames(const pb::PgTable& t) {
    V names;
    for (const auto& c : t.columns()) names.push_back(c.name());
    return names;
  }
};

TEST_F(IntrospectStorageTest, ReadsUnloggedStorageParametersAndViewOptions) {
  TestDatabase db;
  auto conn = Setup(db, kStorage);
  ASSERT_TRUE(conn);
  pb::PostgresSchema s = Read(*conn);

  const pb::PgTable& cache = s.tables().at("app.cache");
  EXPECT_TRUE(cache.unlogged());
  EXPECT_EQ(List(cache.options()), (V{"fillfactor=80", "toast.autovacuum_enabled=false"}));
  const pb::PgTable& plain = s.tables().at("app.plain");
  EXPECT_FALSE(plain.unlogged());
  EXPECT_TRUE(plain.options().empty());

  // check_option is a reloption, not part of the view's query text.
  const pb::PgView& sec = s.views().at("app.v_sec");
  EXPECT_EQ(List(sec.options()), (V{"check_option=local", "security_barrier=true"}));
  EXPECT_EQ(sec.definition().find("CHECK"), std::string::npos) << sec.definition();
  EXPECT_EQ(List(s.views().at("app.v_casc").options()), V{"check_option=cascaded"});
  const pb::PgView& mv = s.views().at("app.mv");
  EXPECT_TRUE(mv.materialized());
  EXPECT_EQ(List(mv.options()), V{"fillfactor=70"});
}

TEST_F(IntrospectStorageTest, ReadsInheritanceParentsInOrderButNotPartitions) {
  TestDatabase db;
  auto conn = Setup(db, std::string(kStorage) + kPartitions);
  ASSERT_TRUE(conn);
  pb::PostgresSchema s = Read(*conn);

  const pb::PgTable& kid = s.tables().at("app.kid");
  EXPECT_EQ(List(kid.inherits()), (V{"app.base2", "app.base1"}));
  // Columns merge by name, parents first in INHERITS order, then the child's own.
  EXPECT_EQ(ColumnNames(kid), (V{"a", "c", "b", "d"}));
  EXPECT_EQ(kid.comment(), "two parents");
  EXPECT_TRUE(s.tables().at("app.base1").inherits().empty());
  EXPECT_TRUE(s.tables().at("app.parted_1").inherits().empty());  // a partition, not a child
}

// An incremental capture reads storage, parents and foreign specs of the relations it names
// only; servers, event triggers and aggregates belong to no relation and are read whole.
TEST_F(IntrospectStorageTest, OnlyTheRelationsAskedForHaveTheirStorageRead) {
  TestDatabase db;
  auto conn = Setup(db, std::string(kStorage) + kForeign);
  ASSERT_TRUE(conn);
  const std::vector<uint32_t> only = {static_cast<uint32_t>(
      std::stoul(OneValue(*conn, "SELECT 'app.cache'::regclass::oid")))};
  IntrospectOptions options;
  options.only_relations = &only;
  pb::PostgresSchema s = Read(*conn, options);
  ASSERT_TRUE(s.tables().count("app.cache"));
  EXPECT_TRUE(s.tables().at("app.cache").unlogged());
  EXPECT_EQ(List(s.tables().at("app.cache").options()),
            (V{"fillfactor=80", "toast.autovacuum_enabled=false"}));
  for (const auto& [key, t] : s.tables()) {
    if (key == "app.cache") continue;
    EXPECT_TRUE(t.options().empty() && t.inherits().empty() && t.foreign().server().empty())
        << key << " was read: " << t.ShortDebugString();
  }
  for (const auto& [key, v] : s.views()) EXPECT_TRUE(v.options().empty()) << key;
  EXPECT_TRUE(s.foreign_servers().count("remote"));
}

TEST_F(IntrospectStorageTest, ReadsForeignTablesAndServersButNeverUserMappings) {
  TestDatabase db;
  auto conn = Setup(db, std::string(kStorage) + kForeign);
  ASSERT_TRUE(conn);
  pb::PostgresSchema s = Read(*conn);

  EXPECT_TRUE(s.extensions().count("postgres_fdw"));  // the wrapper comes with it
  ASSERT_EQ(s.foreign_servers_size(), 1);
  const pb::PgForeignServer& remote = s.foreign_servers().at("remote");
  EXPECT_EQ(remote.name(), "remote");
  EXPECT_EQ(remote.wrapper(), "postgres_fdw");
  EXPECT_EQ(remote.type(), "pg");
  EXPECT_EQ(remote.version(), "15");
  EXPECT_EQ(List(remote.options()), (V{"host=db.example", "port=5432", "dbname=app"}));
  EXPECT_EQ(remote.comment(), "the other db");
  // Privileges beyond the default (only the owner may use a server).
  ASSERT_EQ(remote.acl().grants_size(), 1) << remote.acl().DebugString();
  EXPECT_EQ(remote.acl().grants(0).grantee(), "PUBLIC");
  EXPECT_EQ(remote.acl().grants(0).privilege(), "USAGE");
  EXPECT_EQ(remote.acl().revokes_size(), 0);

  const pb::PgTable& users = s.tables().at("app.remote_users");
  EXPECT_EQ(users.foreign().server(), "remote");
  EXPECT_EQ(List(users.foreign().options()), (V{"schema_name=public", "table_name=users"}));
  EXPECT_EQ(ColumnNames(users), (V{"id", "name"}));
  EXPECT_TRUE(users.columns(0).not_null());
  EXPECT_EQ(users.comment(), "over there");
  EXPECT_FALSE(users.unlogged());

  // The user mapping's password is nowhere in the recorded state.
  EXPECT_EQ(s.DebugString().find("secret"), std::string::npos);
}

TEST_F(IntrospectStorageTest, ReadsEventTriggersAndAggregates) {
  TestDatabase db;
  auto conn = Setup(db, std::string(kStorage) + kEventTriggersAndAggregates);
  ASSERT_TRUE(conn);
  // Event triggers need a superuser; the test cluster's user is one.
  ASSERT_EQ(OneValue(*conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"), "t");
  pb::PostgresSchema s = Read(*conn);

  ASSERT_EQ(s.event_triggers_size(), 2);
  const pb::PgEventTrigger& guard = s.event_triggers().at("guard");
  EXPECT_EQ(guard.event(), "sql_drop");
  EXPECT_EQ(guard.function(), "app.noop()");
  EXPECT_EQ(List(guard.tags()), (V{"DROP TABLE", "DROP SCHEMA"}));
  EXPECT_EQ(guard.enabled(), "D");
  EXPECT_EQ(guard.comment(), "watch drops");
  const pb::PgEventTrigger& every = s.event_triggers().at("every");
  EXPECT_TRUE(every.tags().empty());
  EXPECT_EQ(every.enabled(), "A");

  // INITCOND = '' is an empty string, not NULL: it is kept.
  const pb::PgFunction& concat = s.functions().at("app.concat_all(text)");
  EXPECT_TRUE(concat.aggregate());
  EXPECT_EQ(concat.identity_arguments(), "text");
  EXPECT_EQ(concat.definition(),
            "CREATE OR REPLACE AGGREGATE app.concat_all(text) (\n"
            "    SFUNC = textcat,\n    STYPE = text,\n    INITCOND = ''\n)");
  const pb::PgFunction& total = s.functions().at("app.total(integer)");
  EXPECT_EQ(total.definition(),
            "CREATE OR REPLACE AGGREGATE app.total(integer) (\n"
            "    SFUNC = int4pl,\n    STYPE = integer,\n    PARALLEL = SAFE\n)");
  EXPECT_EQ(total.comment(), "sum");
  EXPECT_EQ(s.functions().at("app.msum(integer)").definition(),
            "CREATE OR REPLACE AGGREGATE app.msum(integer) (\n"
            "    SFUNC = int4pl,\n    STYPE = integer,\n    INITCOND = '0',\n"
            "    MSFUNC = int4pl,\n    MINVFUNC = int4mi,\n    MSTYPE = integer,\n"
            "    MINITCOND = '0'\n)");
  EXPECT_EQ(s.functions().at("app.biggest(integer)").definition(),
            "CREATE OR REPLACE AGGREGATE app.biggest(integer) (\n"
            "    SFUNC = int4larger,\n    STYPE = integer,\n"
            "    SORTOP = OPERATOR(pg_catalog.>)\n)");
  // Ordered-set and hypothetical-set aggregates: ORDER BY in the arguments, READ_WRITE their
  // final function's default.
  const pb::PgFunction& mode = s.functions().at("app.my_mode(ORDER BY anyelement)");
  EXPECT_EQ(mode.definition(),
            "CREATE OR REPLACE AGGREGATE app.my_mode(ORDER BY anyelement) (\n"
            "    SFUNC = ordered_set_transition,\n    STYPE = internal,\n"
            "    FINALFUNC = mode_final,\n    FINALFUNC_EXTRA\n)");
  EXPECT_EQ(mode.comment(), "most common");
  EXPECT_NE(s.functions()
                .at("app.my_rank(VARIADIC \"any\" ORDER BY VARIADIC \"any\")")
                .definition()
                .find("FINALFUNC_EXTRA,\n    HYPOTHETICAL\n)"),
            std::string::npos);
  EXPECT_FALSE(s.functions().at("app.noop()").aggregate());
}

TEST_F(IntrospectStorageTest, RenderedSchemaRebuildsTheSameStateElsewhere) {
  TestDatabase db1;
  auto conn1 =
      Setup(db1, std::string(kStorage) + kForeign + kEventTriggersAndAggregates +
                     "CREATE VIEW app.totals AS SELECT app.total(d) AS t FROM app.kid;");
  ASSERT_TRUE(conn1);
  const pb::PostgresSchema original = Read(*conn1);
  ASSERT_EQ(original.event_triggers_size(), 2);

  TestDatabase db2;
  const std::string ddl = RenderSchemaDdl(original);
  auto conn2 = Setup(db2, ddl);
  ASSERT_TRUE(conn2);
  const pb::PostgresSchema rebuilt = Read(*conn2);
  const std::string differences = Differences(original, rebuilt);
  EXPECT_EQ(differences, "") << "DDL:\n" << ddl;

  // One object's DDL as `show` prints it.
  auto kid = RenderObjectDdl(original, "app.kid");
  ASSERT_TRUE(kid.ok());
  EXPECT_NE(kid->find(") INHERITS (app.base2, app.base1);"), std::string::npos) << *kid;
  auto cache = RenderObjectDdl(original, "app.cache");
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(cache->rfind("CREATE UNLOGGED TABLE app.cache (", 0), 0u) << *cache;
  EXPECT_NE(cache->find("\n)\nWITH (fillfactor='80', toast.autovacuum_enabled='false');"),
            std::string::npos)
      << *cache;
  auto guard = RenderObjectDdl(original, "evt:guard");
  ASSERT_TRUE(guard.ok()) << guard.status().ToString();
  EXPECT_EQ(*guard,
            "CREATE EVENT TRIGGER guard ON sql_drop\n"
            "    WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA')\n"
            "    EXECUTE FUNCTION app.noop();\n"
            "ALTER EVENT TRIGGER guard DISABLE;\n"
            "COMMENT ON EVENT TRIGGER guard IS 'watch drops';\n");
  auto remote = RenderObjectDdl(original, "server:remote");
  ASSERT_TRUE(remote.ok());
  EXPECT_EQ(*remote,
            "CREATE SERVER remote TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw "
            "OPTIONS (host 'db.example', port '5432', dbname 'app');\n"
            "COMMENT ON SERVER remote IS 'the other db';\n"
            "GRANT ALL ON FOREIGN SERVER remote TO PUBLIC;\n");
  // An aggregate's privileges are read too (REVOKE ... FROM PUBLIC above).
  const pb::PgFunction& total = original.functions().at(PgFunctionKey("app", "total", "integer"));
  ASSERT_EQ(total.acl().revokes_size(), 1) << total.acl().DebugString();
  EXPECT_EQ(total.acl().revokes(0).grantee(), "PUBLIC");
  EXPECT_EQ(total.acl().revokes(0).privilege(), "EXECUTE");
}

}  // namespace
}  // namespace strata::postgres
