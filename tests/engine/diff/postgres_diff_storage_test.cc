// engine/diff/postgres_diff_storage: the diff law over random schemas with storage, view
// options, inheritance, foreign tables and servers, event triggers and aggregates, and the
// events each kind of change gives, in an order the server could follow.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <set>

#include "engine/diff/diff.h"
#include "tests/engine/testing/diff_law.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using testing::ExpectDiffLaw;
using C = pb::PostgresChange;

pb::SchemaState State(const std::string& text) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  EXPECT_TRUE(TextFormat::ParseFromString(text, s.mutable_postgres())) << text;
  return s;
}

pb::SchemaState Wrap(const pb::PostgresSchema& s) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_POSTGRES);
  *state.mutable_postgres() = s;
  return state;
}

// The kinds of the events turning `a` into `b`, after checking the law both ways.
std::vector<C::KindCase> Kinds(const std::string& a, const std::string& b,
                               std::vector<pb::Event>* events = nullptr) {
  ExpectDiffLaw(State(b), State(a), "reverse");
  auto diff = ExpectDiffLaw(State(a), State(b), "forward");
  std::vector<C::KindCase> kinds;
  for (const auto& e : diff) kinds.push_back(e.postgres().kind_case());
  if (events) *events = diff;
  return kinds;
}

TEST(PgDiffStorageLaw, RandomSchemasProduceEveryNewKindOfChange) {
  std::set<int> kinds;
  for (int seed = 0; seed < 2000; ++seed) {
    testing::RandomPostgres rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.postgres()));
    for (const auto& e : ExpectDiffLaw(a, b, "seed " + std::to_string(seed))) {
      kinds.insert(e.postgres().kind_case());
    }
    if (::testing::Test::HasFailure()) FAIL() << "stopping at seed " << seed;
  }
  for (int kind : {C::kSetTableStorage, C::kSetInherits, C::kSetViewOptions, C::kSetForeignTable,
                   C::kCreateEventTrigger, C::kReplaceEventTrigger, C::kDropEventTrigger,
                   C::kCreateForeignServer, C::kAlterForeignServer, C::kDropForeignServer}) {
    EXPECT_TRUE(kinds.count(kind)) << "no diff produced PostgresChange kind " << kind;
  }
}

constexpr char kLogs[] = R"pb(tables { key: "app.logs" value { schema: "app" name: "logs"
    columns { name: "id" type: "integer" identity: PG_IDENTITY_NONE } %s } })pb";

std::string Logs(const std::string& extra) {
  std::string s = kLogs;
  return s.replace(s.find("%s"), 2, extra);
}

TEST(PgDiffStorage, PersistenceAndOptionsAreOneSetTableStorage) {
  std::vector<pb::Event> events;
  EXPECT_EQ(Kinds(Logs(""), Logs(R"(unlogged: true options: "fillfactor=70")"), &events),
            std::vector<C::KindCase>{C::kSetTableStorage});
  const auto& e = events[0].postgres().set_table_storage();
  EXPECT_TRUE(e.unlogged());
  EXPECT_EQ(e.options_size(), 1);
}

TEST(PgDiffStorage, ParentsInAnotherOrderAreASetInherits) {
  EXPECT_EQ(Kinds(Logs(R"(inherits: ["app.a", "app.b"])"), Logs(R"(inherits: ["app.b", "app.a"])")),
            std::vector<C::KindCase>{C::kSetInherits});
}

// Tables that hold their parents' columns, as on a server: a parent's column changes, a child
// gaining a parent, a child leaving one while the parent drops a column the child keeps.
TEST(PgDiffStorage, InheritanceTreesAsOnAServerFollowTheLaw) {
  auto table = [](const std::string& name, const std::vector<std::string>& columns,
                  const std::vector<std::string>& parents) {
    std::string text = "tables { key: \"app." + name + "\" value { schema: \"app\" name: \"" +
                       name + "\" ";
    for (const auto& c : columns) {
      text += "columns { name: \"" + c + "\" type: \"integer\" identity: PG_IDENTITY_NONE } ";
    }
    for (const auto& p : parents) text += "inherits: \"" + p + "\" ";
    return text + "} }";
  };
  const std::string base = table("p", {"a"}, {}) + table("q", {"b"}, {});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {base + table("kid", {"a", "c"}, {"app.p"}),
       table("p", {"a", "x"}, {}) + table("q", {"b"}, {}) +
           table("kid", {"a", "c", "x"}, {"app.p"})},
      {base + table("kid", {"a", "c"}, {"app.p"}),
       base + table("kid", {"a", "c", "b"}, {"app.p", "app.q"})},
      {base + table("kid", {"a", "b", "c"}, {"app.p", "app.q"}),
       table("p", {}, {}) + table("q", {"b"}, {}) + table("kid", {"a", "b", "c"}, {"app.q"})},
  };
  for (const auto& [a, b] : cases) {
    ExpectDiffLaw(State(a), State(b), "forward: " + b);
    ExpectDiffLaw(State(b), State(a), "back: " + a);
  }
}

TEST(PgDiffStorage, ATableTurningForeignIsDroppedAndCreated) {
  EXPECT_EQ(Kinds(Logs(""), Logs(R"(foreign { server: "s" })")),
            (std::vector<C::KindCase>{C::kDropTable, C::kCreateTable}));
  EXPECT_EQ(Kinds(Logs(R"(foreign { server: "s" })"),
                  Logs(R"(foreign { server: "s" options: "table_name=x" })")),
            std::vector<C::KindCase>{C::kSetForeignTable});
}

TEST(PgDiffStorage, ViewOptionsAloneAreASetViewOptionsElseTheViewIsReplaced) {
  const std::string v = R"pb(views { key: "app.v" value { schema: "app" name: "v"
      definition: "%s" %s } })pb";
  auto view = [&v](const std::string& def, const std::string& extra) {
    std::string s = v;
    s.replace(s.find("%s"), 2, def);
    return s.replace(s.find("%s"), 2, extra);
  };
  EXPECT_EQ(Kinds(view("SELECT 1", ""), view("SELECT 1", R"(options: "check_option=local")")),
            std::vector<C::KindCase>{C::kSetViewOptions});
  EXPECT_EQ(Kinds(view("SELECT 1", ""), view("SELECT 2", R"(options: "check_option=local")")),
            std::vector<C::KindCase>{C::kReplaceView});
}

TEST(PgDiffStorage, AFunctionBecomingAnAggregateIsDroppedFirst) {
  const std::string f = R"pb(functions { key: "app.f(integer)" value { schema: "app" name: "f"
      identity_arguments: "integer" definition: "%s" %s } })pb";
  auto function = [&f](const std::string& def, bool aggregate) {
    std::string s = f;
    s.replace(s.find("%s"), 2, def);
    return s.replace(s.find("%s"), 2, aggregate ? "aggregate: true" : "");
  };
  EXPECT_EQ(Kinds(function("CREATE FUNCTION", false), function("CREATE AGGREGATE", true)),
            (std::vector<C::KindCase>{C::kDropFunction, C::kCreateFunction}));
  EXPECT_EQ(Kinds(function("CREATE AGGREGATE", true),
                  function("CREATE OR REPLACE AGGREGATE", true)),
            std::vector<C::KindCase>{C::kReplaceFunction});
}

// A server before the foreign table on it, an event trigger after its function; on the way
// back the event trigger goes before the function and the server after the table.
TEST(PgDiffStorage, ServersAndEventTriggersFollowWhatTheyDependOn) {
  const std::string full = R"pb(
    foreign_servers { key: "remote" value { name: "remote" wrapper: "postgres_fdw" } }
    event_triggers { key: "guard" value { name: "guard" event: "sql_drop"
      function: "app.evt()" enabled: "O" } }
    functions { key: "app.evt()" value { schema: "app" name: "evt" definition: "CREATE" } }
    tables { key: "app.ft" value { schema: "app" name: "ft" foreign { server: "remote" } } })pb";
  EXPECT_EQ(Kinds("", full), (std::vector<C::KindCase>{C::kCreateFunction, C::kCreateForeignServer,
                                                       C::kCreateEventTrigger, C::kCreateTable}));
  EXPECT_EQ(Kinds(full, ""), (std::vector<C::KindCase>{C::kDropTable, C::kDropEventTrigger,
                                                       C::kDropForeignServer, C::kDropFunction}));
}

TEST(PgDiffStorage, CommentOnlyChangesOfServersAndEventTriggersAreSetComments) {
  const std::string server = R"pb(foreign_servers { key: "remote" value { name: "remote"
      wrapper: "postgres_fdw" comment: "%s" } })pb";
  auto with = [&server](const std::string& comment) {
    std::string s = server;
    return s.replace(s.find("%s"), 2, comment);
  };
  std::vector<pb::Event> events;
  EXPECT_EQ(Kinds(with(""), with("far away"), &events), std::vector<C::KindCase>{C::kSetComment});
  EXPECT_EQ(events[0].postgres().set_comment().target().kind(), pb::PG_OBJECT_FOREIGN_SERVER);
  EXPECT_EQ(events[0].postgres().set_comment().target().name(), "remote");
}

TEST(PgDiffStorage, OtherChangesOfServersAndEventTriggersReplaceThemWhole) {
  const std::string server = R"pb(foreign_servers { key: "remote" value { name: "remote"
      wrapper: "postgres_fdw" options: "host=a" } })pb";
  std::vector<pb::Event> events;
  EXPECT_EQ(Kinds(server, R"pb(foreign_servers { key: "remote" value { name: "remote"
      wrapper: "postgres_fdw" options: ["host=a", "port=1"] comment: "c" } })pb", &events),
            std::vector<C::KindCase>{C::kAlterForeignServer});
  EXPECT_EQ(events[0].postgres().alter_foreign_server().server().comment(), "c");
  const std::string trigger = R"pb(event_triggers { key: "guard" value { name: "guard"
      event: "sql_drop" function: "app.f()" enabled: "%s" } })pb";
  auto enabled = [&trigger](const std::string& state) {
    std::string s = trigger;
    return s.replace(s.find("%s"), 2, state);
  };
  EXPECT_EQ(Kinds(enabled("O"), enabled("D"), &events),
            std::vector<C::KindCase>{C::kReplaceEventTrigger});
  EXPECT_EQ(events[0].postgres().replace_event_trigger().trigger().enabled(), "D");
}

}  // namespace
}  // namespace strata
