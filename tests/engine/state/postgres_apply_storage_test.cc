// engine/state/postgres_apply_storage: storage, inheritance, foreign tables and servers, view
// options, event triggers; their validation messages and the objects they touch.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/state/apply.h"
#include "engine/state/fragments.h"
#include "engine/state/object_undo.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;
using V = std::vector<std::string>;

pb::Event Ev(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(TextFormat::ParseFromString("postgres { " + text + " }", &e)) << text;
  return e;
}

std::string Invalid(const std::string& text) { return ValidateEvent(Ev(text)).message(); }

template <typename Repeated>
V List(const Repeated& items) {
  return V(items.begin(), items.end());
}

// A plain table, a foreign table, a view and a materialized view.
constexpr const char* kSetup[] = {
    R"pb(create_table { table { schema: "app" name: "logs" unlogged: true
      options: ["toast.autovacuum_enabled=false", "fillfactor=70"]
      inherits: ["app.base2", "app.base1"] } })pb",
    R"pb(create_foreign_server { server { name: "remote" wrapper: "postgres_fdw"
      options: ["port=5432", "host=db.example"] } })pb",
    R"pb(create_table { table { schema: "app" name: "ft"
      foreign { server: "remote" options: ["table_name=t", "schema_name=s"] } } })pb",
    R"pb(create_view { view { schema: "app" name: "v"
      options: ["security_barrier=true", "check_option=local"] definition: "SELECT 1" } })pb",
    R"pb(create_view { view { schema: "app" name: "mv" materialized: true
      definition: "SELECT 1" } })pb",
};

class PostgresApplyStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* e : kSetup) ExpectOk(e);
  }
  void ExpectOk(const std::string& event) {
    Status s = Apply(Ev(event), &state_);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << event;
  }
  void ExpectError(const std::string& event, Code code, const std::string& message) {
    pb::SchemaState before = state_;
    Status s = Apply(Ev(event), &state_);
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.message(), message);
    EXPECT_TRUE(MessageDifferencer::Equals(before, state_)) << "state changed by a failed event";
  }
  const pb::PostgresSchema& S() { return state_.postgres(); }
  const pb::PgTable& Logs() { return S().tables().at("app.logs"); }

  pb::SchemaState state_;
};

TEST_F(PostgresApplyStorageTest, CreateTableKeepsStorageSortedAndParentsInOrder) {
  EXPECT_TRUE(Logs().unlogged());
  EXPECT_EQ(List(Logs().options()), (V{"fillfactor=70", "toast.autovacuum_enabled=false"}));
  EXPECT_EQ(List(Logs().inherits()), (V{"app.base2", "app.base1"}));  // inhseqno order
  const pb::PgTable& ft = S().tables().at("app.ft");
  EXPECT_EQ(ft.foreign().server(), "remote");
  EXPECT_EQ(List(ft.foreign().options()), (V{"table_name=t", "schema_name=s"}));  // as given
  EXPECT_EQ(List(S().views().at("app.v").options()),
            (V{"check_option=local", "security_barrier=true"}));
}

TEST_F(PostgresApplyStorageTest, SetTableStorageReplacesPersistenceAndOptions) {
  ExpectOk(R"pb(set_table_storage { schema: "app" table: "logs"
      options: ["parallel_workers=2", "autovacuum_enabled=false"] })pb");
  EXPECT_FALSE(Logs().unlogged());
  EXPECT_EQ(List(Logs().options()), (V{"autovacuum_enabled=false", "parallel_workers=2"}));
  ExpectError(R"pb(set_table_storage { schema: "app" table: "nope" unlogged: true })pb",
              Code::kNotFound, "postgres table app.nope does not exist");
  ExpectError(R"pb(set_table_storage { schema: "app" table: "ft" unlogged: true })pb",
              Code::kInvalidArgument,
              "postgres set_table_storage app.ft: a foreign table has no storage of its own");
}

TEST_F(PostgresApplyStorageTest, SetInheritsReplacesTheParents) {
  ExpectOk(R"pb(set_inherits { schema: "app" table: "logs" parents: ["app.base3"] })pb");
  EXPECT_EQ(List(Logs().inherits()), V{"app.base3"});
  ExpectOk(R"pb(set_inherits { schema: "app" table: "logs" })pb");
  EXPECT_TRUE(Logs().inherits().empty());
}

TEST_F(PostgresApplyStorageTest, SetForeignTableOnlyChangesAForeignTable) {
  ExpectOk(R"pb(set_foreign_table { schema: "app" table: "ft"
      foreign { server: "other" options: ["table_name=u"] } })pb");
  EXPECT_EQ(S().tables().at("app.ft").foreign().server(), "other");
  EXPECT_EQ(List(S().tables().at("app.ft").foreign().options()), V{"table_name=u"});
  ExpectError(R"pb(set_foreign_table { schema: "app" table: "logs"
      foreign { server: "remote" } })pb",
              Code::kInvalidArgument,
              "postgres set_foreign_table app.logs: not a foreign table (a table becomes "
              "foreign by a drop and a create)");
}

TEST_F(PostgresApplyStorageTest, SetViewOptionsOnViewsAndMaterializedViews) {
  ExpectOk(R"pb(set_view_options { schema: "app" view: "v"
      options: ["security_invoker=true", "check_option=cascaded"] })pb");
  EXPECT_EQ(List(S().views().at("app.v").options()),
            (V{"check_option=cascaded", "security_invoker=true"}));
  ExpectOk(R"pb(set_view_options { schema: "app" view: "mv" options: ["fillfactor=50"] })pb");
  EXPECT_EQ(List(S().views().at("app.mv").options()), V{"fillfactor=50"});
  ExpectError(R"pb(set_view_options { schema: "app" view: "nope" })pb", Code::kNotFound,
              "postgres view app.nope does not exist");
}

TEST_F(PostgresApplyStorageTest, EventTriggersAreKeyedByName) {
  ExpectOk(R"pb(create_event_trigger { trigger { name: "no_drops" event: "sql_drop"
      function: "app.evt()" tags: ["DROP TABLE"] enabled: "O" } })pb");
  EXPECT_EQ(S().event_triggers().at("no_drops").event(), "sql_drop");
  ExpectError(R"pb(create_event_trigger { trigger { name: "no_drops" event: "sql_drop"
      function: "app.evt()" enabled: "O" } })pb",
              Code::kAlreadyExists, "postgres event trigger no_drops already exists");
  ExpectOk(R"pb(replace_event_trigger { trigger { name: "no_drops" event: "sql_drop"
      function: "app.evt()" enabled: "D" } })pb");
  EXPECT_EQ(S().event_triggers().at("no_drops").enabled(), "D");
  EXPECT_TRUE(S().event_triggers().at("no_drops").tags().empty());
  ExpectOk(R"pb(set_comment { comment: "guard" target { kind: PG_OBJECT_EVENT_TRIGGER
      name: "no_drops" } })pb");
  EXPECT_EQ(S().event_triggers().at("no_drops").comment(), "guard");
  ExpectOk(R"pb(drop_event_trigger { name: "no_drops" })pb");
  EXPECT_TRUE(S().event_triggers().empty());
  ExpectError(R"pb(drop_event_trigger { name: "no_drops" })pb", Code::kNotFound,
              "postgres event trigger no_drops does not exist");
  ExpectError(R"pb(replace_event_trigger { trigger { name: "x" event: "sql_drop"
      function: "f()" enabled: "O" } })pb",
              Code::kNotFound, "postgres event trigger x does not exist");
}

TEST_F(PostgresApplyStorageTest, ForeignServersAreKeyedByName) {
  EXPECT_EQ(List(S().foreign_servers().at("remote").options()),
            (V{"port=5432", "host=db.example"}));  // catalog order, not sorted
  ExpectOk(R"pb(alter_foreign_server { server { name: "remote" wrapper: "postgres_fdw"
      version: "16" options: ["host=db2"] } })pb");
  EXPECT_EQ(S().foreign_servers().at("remote").version(), "16");
  ExpectOk(R"pb(set_comment { comment: "the other db" target { kind: PG_OBJECT_FOREIGN_SERVER
      name: "remote" } })pb");
  EXPECT_EQ(S().foreign_servers().at("remote").comment(), "the other db");
  ExpectError(R"pb(create_foreign_server { server { name: "remote" wrapper: "file_fdw" } })pb",
              Code::kAlreadyExists, "postgres foreign server remote already exists");
  ExpectOk(R"pb(drop_foreign_server { name: "remote" })pb");
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_FOREIGN_SERVER name: "remote" } })pb",
              Code::kNotFound, "postgres foreign server remote does not exist");
}

TEST_F(PostgresApplyStorageTest, AFunctionIsNotReplacedByAnAggregate) {
  ExpectOk(R"pb(create_function { function { schema: "app" name: "total"
      identity_arguments: "integer" aggregate: true definition: "CREATE AGGREGATE ..." } })pb");
  ExpectOk(R"pb(replace_function { function { schema: "app" name: "total"
      identity_arguments: "integer" aggregate: true definition: "CREATE OR REPLACE ..." } })pb");
  ExpectError(R"pb(replace_function { function { schema: "app" name: "total"
      identity_arguments: "integer" definition: "CREATE FUNCTION ..." } })pb",
              Code::kInvalidArgument,
              "postgres replace_function app.total(integer): aggregate cannot change (drop and "
              "create the function)");
}

TEST(PostgresValidateStorage, BadOptionsParentsAndForeignSpecs) {
  EXPECT_EQ(Invalid(R"pb(set_table_storage { schema: "app" table: "t"
      options: ["fillfactor"] })pb"),
            "postgres set_table_storage app.t: storage option \"fillfactor\" is not key=value");
  EXPECT_EQ(Invalid(R"pb(set_table_storage { schema: "app" table: "t" options: ["=1"] })pb"),
            "postgres set_table_storage app.t: storage option \"=1\" is not key=value");
  EXPECT_EQ(Invalid(R"pb(create_table { table { schema: "app" name: "t"
      options: ["fillfactor=70", "fillfactor=80"] } })pb"),
            "postgres create_table app.t: storage option fillfactor appears twice");
  EXPECT_EQ(Invalid(R"pb(set_table_storage { table: "t" })pb"),
            "postgres set_table_storage: schema name is empty");
  EXPECT_EQ(Invalid(R"pb(set_inherits { schema: "app" table: "t" parents: ["base"] })pb"),
            "postgres set_inherits app.t: parent \"base\" is not schema.table");
  EXPECT_EQ(Invalid(R"pb(set_inherits { schema: "app" table: "t" parents: ["app.t"] })pb"),
            "postgres set_inherits app.t: a table cannot inherit from itself");
  EXPECT_EQ(Invalid(R"pb(create_table { table { schema: "app" name: "t"
      inherits: ["app.a", "app.a"] } })pb"),
            "postgres create_table app.t: parent app.a appears twice");
  EXPECT_EQ(Invalid(R"pb(set_foreign_table { schema: "app" table: "t" })pb"),
            "postgres set_foreign_table app.t: foreign table server name is empty (a table "
            "stops being foreign by a drop and a create)");
  EXPECT_EQ(Invalid(R"pb(create_table { table { schema: "app" name: "t" unlogged: true
      foreign { server: "s" } } })pb"),
            "postgres create_table app.t: a foreign table cannot be unlogged");
  EXPECT_EQ(Invalid(R"pb(create_table { table { schema: "app" name: "t"
      options: ["fillfactor=70"] foreign { server: "s" } } })pb"),
            "postgres create_table app.t: a foreign table has no storage options");
  EXPECT_EQ(Invalid(R"pb(create_table { table { schema: "app" name: "t"
      foreign { options: ["table_name=x"] } } })pb"),
            "postgres create_table app.t: foreign table options without a server");
}

TEST(PostgresValidateStorage, BadViewOptionsEventTriggersAndServers) {
  EXPECT_EQ(Invalid(R"pb(set_view_options { schema: "app" view: "v"
      options: ["check_option=sometimes"] })pb"),
            "postgres set_view_options app.v: view option check_option=sometimes is not "
            "check_option=local or =cascaded");
  EXPECT_EQ(Invalid(R"pb(create_view { view { schema: "app" name: "v" options: ["x"] } })pb"),
            "postgres create_view app.v: view option \"x\" is not key=value");
  EXPECT_EQ(Invalid(R"pb(create_event_trigger { trigger { event: "sql_drop" } })pb"),
            "postgres create_event_trigger: event trigger name is empty");
  EXPECT_EQ(Invalid(R"pb(create_event_trigger { trigger { name: "e" function: "f()"
      enabled: "O" } })pb"),
            "postgres create_event_trigger evt:e: event is empty");
  EXPECT_EQ(Invalid(R"pb(replace_event_trigger { trigger { name: "e" event: "sql_drop"
      enabled: "O" } })pb"),
            "postgres replace_event_trigger evt:e: function is empty");
  EXPECT_EQ(Invalid(R"pb(create_event_trigger { trigger { name: "e" event: "sql_drop"
      function: "f()" } })pb"),
            "postgres create_event_trigger evt:e: enabled is \"\", not O, D, R or A");
  EXPECT_EQ(Invalid(R"pb(create_event_trigger { trigger { name: "e" event: "sql_drop"
      function: "f()" enabled: "O" tags: [""] } })pb"),
            "postgres create_event_trigger evt:e: a command tag is empty");
  EXPECT_EQ(Invalid(R"pb(drop_event_trigger {})pb"),
            "postgres drop_event_trigger: event trigger name is empty");
  EXPECT_EQ(Invalid(R"pb(create_foreign_server { server { name: "s" } })pb"),
            "postgres create_foreign_server server:s: foreign-data wrapper name is empty");
  EXPECT_EQ(Invalid(R"pb(alter_foreign_server { server { name: "s" wrapper: "w"
      options: ["host"] } })pb"),
            "postgres alter_foreign_server server:s: option \"host\" is not key=value");
  EXPECT_EQ(Invalid(R"pb(drop_foreign_server {})pb"),
            "postgres drop_foreign_server: foreign server name is empty");
  EXPECT_EQ(Invalid(R"pb(set_comment { target { kind: PG_OBJECT_EVENT_TRIGGER } })pb"),
            "postgres set_comment: event trigger name is empty");
  EXPECT_TRUE(ValidateEvent(Ev(kSetup[0])).ok());
  EXPECT_TRUE(ValidateEvent(Ev(kSetup[2])).ok());
}

TEST(PostgresTouchedStorage, ObjectsOutsideNamespacesHavePrefixedNames) {
  pb::SchemaState none;
  auto touched = [&none](const std::string& text) { return TouchedObjects(Ev(text), none); };
  EXPECT_EQ(touched(R"pb(set_table_storage { schema: "app" table: "t" })pb"), V{"app.t"});
  EXPECT_EQ(touched(R"pb(set_inherits { schema: "app" table: "t" })pb"), V{"app.t"});
  EXPECT_EQ(touched(R"pb(set_foreign_table { schema: "app" table: "t" })pb"), V{"app.t"});
  EXPECT_EQ(touched(R"pb(set_view_options { schema: "app" view: "v" })pb"), V{"app.v"});
  EXPECT_EQ(touched(R"pb(create_event_trigger { trigger { name: "app" } })pb"), V{"evt:app"});
  EXPECT_EQ(touched(R"pb(drop_event_trigger { name: "x" })pb"), V{"evt:x"});
  EXPECT_EQ(touched(R"pb(alter_foreign_server { server { name: "app" } })pb"), V{"server:app"});
  EXPECT_EQ(touched(R"pb(set_comment { target { kind: PG_OBJECT_FOREIGN_SERVER
      name: "s.x" } })pb"),
            V{"server:s.x"});
  // A dot in their names is part of the name, not a namespace.
  EXPECT_EQ(ObjectAndParents("server:s.x"), V{"server:s.x"});
  EXPECT_EQ(ObjectAndParents("evt:a.b"), V{"evt:a.b"});
  EXPECT_EQ(EffectOf(Ev(R"pb(create_foreign_server { server { name: "s" } })pb")),
            ObjectEffect::kCreates);
  EXPECT_EQ(EffectOf(Ev(R"pb(drop_event_trigger { name: "e" })pb")), ObjectEffect::kDrops);
}

TEST_F(PostgresApplyStorageTest, ServersAndEventTriggersAreObjectsOfTheirOwn) {
  ExpectOk(R"pb(create_event_trigger { trigger { name: "app" event: "sql_drop"
      function: "app.evt()" enabled: "O" } })pb");
  V names = ObjectNames(state_);
  EXPECT_EQ(names, (V{"app.ft", "app.logs", "app.mv", "app.v", "evt:app", "server:remote"}));
  // A fragment of each splits out and merges back.
  pb::SchemaState rebuilt;
  for (const auto& [object, bytes] : SplitSchema(state_)) {
    ASSERT_TRUE(MergeFragment(bytes, &rebuilt).ok()) << object;
  }
  EXPECT_TRUE(MessageDifferencer::Equals(rebuilt, state_));

  // An undo puts back a changed server and removes a created event trigger.
  const pb::SchemaState before = state_;
  ObjectUndo undo;
  undo.Save(state_, "server:remote");
  undo.Save(state_, "evt:late");
  ExpectOk(R"pb(drop_foreign_server { name: "remote" })pb");
  ExpectOk(R"pb(create_event_trigger { trigger { name: "late" event: "sql_drop"
      function: "app.evt()" enabled: "O" } })pb");
  undo.Restore(&state_);
  EXPECT_TRUE(MessageDifferencer::Equals(before, state_));
}

}  // namespace
}  // namespace strata
