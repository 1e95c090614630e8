#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"
#include "tests/engine/testing/postgres_events.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

pb::Event Ev(const std::string& text) { return testing::PgEvent(text); }

// public.users (unlisted namespace "public"), a plain and a materialized view in "app", and
// one of each other kind.
constexpr const char* kSetup[] = {
    R"pb(create_schema { schema { name: "app" } })pb",
    R"pb(create_table { table { schema: "public" name: "users"
      columns { name: "id" type: "bigint" not_null: true identity: PG_IDENTITY_ALWAYS }
      columns { name: "email" type: "text" identity: PG_IDENTITY_NONE }
      constraints { name: "users_pkey" type: PG_CONSTRAINT_PRIMARY_KEY
                    definition: "PRIMARY KEY (id)" }
      constraints { name: "users_email_key" type: PG_CONSTRAINT_UNIQUE
                    definition: "UNIQUE (email)" }
      triggers { name: "stamp" definition: "CREATE TRIGGER stamp ..." }
      triggers { name: "audit" definition: "CREATE TRIGGER audit ..." } } })pb",
    R"pb(create_view { view { schema: "app" name: "recent" definition: " SELECT 1;" } })pb",
    R"pb(create_view { view { schema: "app" name: "totals" definition: " SELECT 2;"
      materialized: true } })pb",
    R"pb(create_sequence { sequence { schema: "app" name: "ids" data_type: "bigint" } })pb",
    R"pb(create_type { type { schema: "public" name: "mood"
      enum_type { labels: ["sad", "ok"] } } })pb",
    R"pb(create_extension { extension { name: "pgcrypto" version: "1.3" } })pb",
    R"pb(create_function { function { schema: "public" name: "add"
      identity_arguments: "integer, integer" definition: "CREATE FUNCTION ..." } })pb",
};

class PostgresApplyTest : public testing::PgApplyFixture {
 protected:
  void SetUp() override {
    for (const char* e : kSetup) ExpectOk(e);
  }
  const pb::PgTable& Users() { return S().tables().at("public.users"); }
  template <typename Repeated>
  static std::vector<std::string> Names(const Repeated& items) {
    std::vector<std::string> names;
    for (const auto& x : items) names.push_back(x.name());
    return names;
  }
};

TEST_F(PostgresApplyTest, CreateTableSortsPartsByNameAndKeepsColumnOrder) {
  EXPECT_EQ(state_.engine(), pb::ENGINE_POSTGRES);
  EXPECT_EQ(Names(Users().columns()), (std::vector<std::string>{"id", "email"}));
  EXPECT_EQ(Names(Users().constraints()),
            (std::vector<std::string>{"users_email_key", "users_pkey"}));
  EXPECT_EQ(Names(Users().triggers()), (std::vector<std::string>{"audit", "stamp"}));
  EXPECT_FALSE(S().namespaces().count("public"));  // objects may live in unlisted namespaces
}

TEST_F(PostgresApplyTest, Namespaces) {
  ExpectError(R"pb(create_schema { schema { name: "app" } })pb", Code::kAlreadyExists,
              "postgres schema app already exists");
  ExpectError(R"pb(drop_schema { schema: "nope" })pb", Code::kNotFound,
              "postgres schema nope does not exist");
  ExpectOk(R"pb(drop_schema { schema: "app" })pb");
  EXPECT_TRUE(S().namespaces().empty());
  EXPECT_TRUE(S().views().count("app.recent"));  // the namespace record goes alone
}

TEST_F(PostgresApplyTest, TableErrors) {
  ExpectError(R"pb(create_table { table { schema: "public" name: "users" } })pb",
              Code::kAlreadyExists, "postgres table public.users already exists");
  ExpectError(R"pb(create_table { table { schema: "app" name: "recent" } })pb",
              Code::kAlreadyExists, "postgres view app.recent already exists");
  ExpectError(R"pb(drop_table { schema: "public" table: "carts" })pb", Code::kNotFound,
              "postgres table public.carts does not exist");
  ExpectOk(R"pb(drop_table { schema: "public" table: "users" })pb");
  EXPECT_TRUE(S().tables().empty());
}

TEST_F(PostgresApplyTest, AddColumnAppends) {
  ExpectOk(R"pb(add_column { schema: "public" table: "users"
      column { name: "age" type: "integer" identity: PG_IDENTITY_NONE } })pb");
  EXPECT_EQ(Names(Users().columns()), (std::vector<std::string>{"id", "email", "age"}));
  ExpectError(R"pb(add_column { schema: "public" table: "users"
      column { name: "email" type: "text" identity: PG_IDENTITY_NONE } })pb",
              Code::kAlreadyExists, "postgres column public.users.email already exists");
  ExpectError(R"pb(add_column { schema: "public" table: "carts"
      column { name: "id" type: "int" identity: PG_IDENTITY_NONE } })pb",
              Code::kNotFound, "postgres table public.carts does not exist");
}

TEST_F(PostgresApplyTest, DropColumn) {
  ExpectOk(R"pb(drop_column { schema: "public" table: "users" column: "id" })pb");
  EXPECT_EQ(Names(Users().columns()), (std::vector<std::string>{"email"}));
  ExpectError(R"pb(drop_column { schema: "public" table: "users" column: "id" })pb",
              Code::kNotFound, "postgres column public.users.id does not exist");
}

TEST_F(PostgresApplyTest, ColumnSetters) {
  ExpectOk(R"pb(alter_column_type { schema: "public" table: "users" column: "email"
      type: "citext" collation: "C" })pb");
  ExpectOk(R"pb(set_column_not_null { schema: "public" table: "users" column: "email"
      not_null: true })pb");
  ExpectOk(R"pb(set_column_default { schema: "public" table: "users" column: "email"
      default_expr: "''::citext" })pb");
  ExpectOk(R"pb(set_column_identity { schema: "public" table: "users" column: "id"
      identity: PG_IDENTITY_NONE })pb");
  ExpectOk(R"pb(set_column_generated { schema: "public" table: "users" column: "id"
      generated_expr: "(1)" })pb");
  const auto& email = Users().columns(1);
  EXPECT_EQ(email.type(), "citext");
  EXPECT_EQ(email.collation(), "C");
  EXPECT_TRUE(email.not_null());
  EXPECT_EQ(email.default_expr(), "''::citext");
  EXPECT_EQ(Users().columns(0).identity(), pb::PG_IDENTITY_NONE);
  EXPECT_EQ(Users().columns(0).generated_expr(), "(1)");
  ExpectOk(R"pb(set_column_default { schema: "public" table: "users" column: "email" })pb");
  ExpectOk(R"pb(set_column_generated { schema: "public" table: "users" column: "id" })pb");
  EXPECT_FALSE(Users().columns(1).has_default_expr());
  EXPECT_FALSE(Users().columns(0).has_generated_expr());
  ExpectError(R"pb(set_column_not_null { schema: "public" table: "users" column: "nope" })pb",
              Code::kNotFound, "postgres column public.users.nope does not exist");
}

TEST_F(PostgresApplyTest, Constraints) {
  ExpectOk(R"pb(add_constraint { schema: "public" table: "users" constraint {
      name: "users_email_check" type: PG_CONSTRAINT_CHECK definition: "CHECK (true)" } })pb");
  EXPECT_EQ(Names(Users().constraints()),
            (std::vector<std::string>{"users_email_check", "users_email_key", "users_pkey"}));
  ExpectError(R"pb(add_constraint { schema: "public" table: "users" constraint {
      name: "users_pkey" type: PG_CONSTRAINT_PRIMARY_KEY definition: "PRIMARY KEY (id)" } })pb",
              Code::kAlreadyExists, "postgres constraint public.users.users_pkey already exists");
  ExpectOk(R"pb(drop_constraint { schema: "public" table: "users" constraint: "users_pkey" })pb");
  ExpectError(R"pb(drop_constraint { schema: "public" table: "users" constraint: "users_pkey" })pb",
              Code::kNotFound, "postgres constraint public.users.users_pkey does not exist");
}

TEST_F(PostgresApplyTest, IndexesOnTablesAndMaterializedViews) {
  ExpectOk(R"pb(create_index { schema: "public" table: "users"
      index { name: "users_email_idx" definition: "CREATE INDEX ..." } })pb");
  ExpectOk(R"pb(create_index { schema: "app" table: "totals"
      index { name: "totals_idx" definition: "CREATE INDEX ..." } })pb");
  EXPECT_EQ(Users().indexes_size(), 1);
  EXPECT_EQ(S().views().at("app.totals").indexes_size(), 1);
  ExpectError(R"pb(create_index { schema: "public" table: "users"
      index { name: "users_email_idx" definition: "CREATE INDEX ..." } })pb",
              Code::kAlreadyExists, "postgres index public.users.users_email_idx already exists");
  ExpectError(R"pb(create_index { schema: "app" table: "recent" index { name: "i" } })pb",
              Code::kInvalidArgument,
              "postgres view app.recent is not materialized: it cannot have indexes");
  ExpectError(R"pb(create_index { schema: "app" table: "nope" index { name: "i" } })pb",
              Code::kNotFound, "postgres table or materialized view app.nope does not exist");
  ExpectOk(R"pb(drop_index { schema: "app" table: "totals" index: "totals_idx" })pb");
  ExpectError(R"pb(drop_index { schema: "app" table: "totals" index: "totals_idx" })pb",
              Code::kNotFound, "postgres index app.totals.totals_idx does not exist");
}

TEST_F(PostgresApplyTest, Triggers) {
  ExpectError(R"pb(create_trigger { schema: "public" table: "users"
      trigger { name: "audit" definition: "x" } })pb",
              Code::kAlreadyExists, "postgres trigger public.users.audit already exists");
  ExpectError(R"pb(create_trigger { schema: "public" table: "carts"
      trigger { name: "audit" definition: "x" } })pb",
              Code::kNotFound, "postgres table public.carts does not exist");
  ExpectOk(R"pb(drop_trigger { schema: "public" table: "users" trigger: "audit" })pb");
  EXPECT_EQ(Names(Users().triggers()), (std::vector<std::string>{"stamp"}));
  ExpectError(R"pb(drop_trigger { schema: "public" table: "users" trigger: "audit" })pb",
              Code::kNotFound, "postgres trigger public.users.audit does not exist");
}

TEST_F(PostgresApplyTest, Views) {
  ExpectError(R"pb(create_view { view { schema: "public" name: "users" } })pb",
              Code::kAlreadyExists, "postgres table public.users already exists");
  ExpectError(R"pb(create_view { view { schema: "app" name: "v" indexes { name: "i" } } })pb",
              Code::kInvalidArgument,
              "postgres create_view app.v: only a materialized view has indexes");
  ExpectError(R"pb(replace_view { view { schema: "app" name: "recent" materialized: true } })pb",
              Code::kInvalidArgument,
              "postgres replace_view app.recent: materialized cannot change (drop and create the "
              "view)");
  ExpectError(R"pb(replace_view { view { schema: "app" name: "nope" } })pb", Code::kNotFound,
              "postgres view app.nope does not exist");
  ExpectOk(R"pb(replace_view { view { schema: "app" name: "recent" definition: " SELECT 3;"
      comment: "c" } })pb");
  EXPECT_EQ(S().views().at("app.recent").definition(), " SELECT 3;");
  EXPECT_EQ(S().views().at("app.recent").comment(), "c");  // replaced whole
  ExpectOk(R"pb(drop_view { schema: "app" view: "recent" })pb");
  ExpectError(R"pb(drop_view { schema: "app" view: "recent" })pb", Code::kNotFound,
              "postgres view app.recent does not exist");
}

TEST_F(PostgresApplyTest, SequencesTypesExtensionsFunctions) {
  ExpectError(R"pb(create_sequence { sequence { schema: "app" name: "ids" } })pb",
              Code::kAlreadyExists, "postgres sequence app.ids already exists");
  ExpectError(R"pb(alter_sequence { sequence { schema: "app" name: "nope" } })pb",
              Code::kNotFound, "postgres sequence app.nope does not exist");
  ExpectError(R"pb(drop_type { schema: "public" type: "nope" })pb", Code::kNotFound,
              "postgres type public.nope does not exist");
  ExpectError(R"pb(create_extension { extension { name: "pgcrypto" } })pb",
              Code::kAlreadyExists, "postgres extension pgcrypto already exists");
  ExpectError(R"pb(drop_extension { extension: "citext" })pb", Code::kNotFound,
              "postgres extension citext does not exist");
  ExpectError(R"pb(create_function { function { schema: "public" name: "add"
      identity_arguments: "integer, integer" } })pb",
              Code::kAlreadyExists,
              "postgres function public.add(integer, integer) already exists");
  ExpectOk(R"pb(create_function { function { schema: "public" name: "add"
      identity_arguments: "text, text" } })pb");  // an overload is another function
  ExpectOk(R"pb(drop_function { schema: "public" name: "add"
      identity_arguments: "integer, integer" })pb");
  EXPECT_EQ(S().functions().size(), 1u);
  ExpectError(R"pb(replace_function { function { schema: "public" name: "add" } })pb",
              Code::kNotFound, "postgres function public.add() does not exist");
}

TEST_F(PostgresApplyTest, AlterTypeReplacesTheTypeWholeAndCanonically) {
  ExpectOk(R"pb(alter_type { type { schema: "public" name: "mood" domain { base_type: "int"
      constraints { name: "z" type: PG_CONSTRAINT_CHECK definition: "CHECK (VALUE > 0)" }
      constraints { name: "a" type: PG_CONSTRAINT_CHECK definition: "CHECK (VALUE < 9)" }
      } } })pb");
  const auto& mood = S().types().at("public.mood");
  ASSERT_TRUE(mood.has_domain());
  EXPECT_EQ(Names(mood.domain().constraints()), (std::vector<std::string>{"a", "z"}));
}

TEST_F(PostgresApplyTest, SetCommentReachesEveryKind) {
  const char* targets[] = {
      R"pb(kind: PG_OBJECT_SCHEMA name: "app")pb",
      R"pb(kind: PG_OBJECT_TABLE schema: "public" name: "users")pb",
      R"pb(kind: PG_OBJECT_COLUMN schema: "public" name: "users" sub: "email")pb",
      R"pb(kind: PG_OBJECT_VIEW schema: "app" name: "recent")pb",
      R"pb(kind: PG_OBJECT_SEQUENCE schema: "app" name: "ids")pb",
      R"pb(kind: PG_OBJECT_TYPE schema: "public" name: "mood")pb",
      R"pb(kind: PG_OBJECT_FUNCTION schema: "public" name: "add" sub: "integer, integer")pb",
      R"pb(kind: PG_OBJECT_CONSTRAINT schema: "public" name: "users" sub: "users_pkey")pb",
      R"pb(kind: PG_OBJECT_TRIGGER schema: "public" name: "users" sub: "audit")pb",
      R"pb(kind: PG_OBJECT_EXTENSION name: "pgcrypto")pb",
  };
  for (const char* t : targets) {
    ExpectOk(std::string("set_comment { comment: \"noted\" target { ") + t + " } }");
  }
  EXPECT_EQ(S().namespaces().at("app").comment(), "noted");
  EXPECT_EQ(Users().comment(), "noted");
  EXPECT_EQ(Users().columns(1).comment(), "noted");
  EXPECT_EQ(S().views().at("app.recent").comment(), "noted");
  EXPECT_EQ(S().sequences().at("app.ids").comment(), "noted");
  EXPECT_EQ(S().types().at("public.mood").comment(), "noted");
  EXPECT_EQ(S().functions().at("public.add(integer, integer)").comment(), "noted");
  EXPECT_EQ(Users().constraints(1).comment(), "noted");
  EXPECT_EQ(Users().triggers(0).comment(), "noted");
  EXPECT_EQ(S().extensions().at("pgcrypto").comment(), "noted");
  ExpectOk(R"pb(create_index { schema: "app" table: "totals" index { name: "i" } })pb");
  ExpectOk(R"pb(set_comment { comment: "idx" target { kind: PG_OBJECT_INDEX schema: "app"
      name: "totals" sub: "i" } })pb");
  EXPECT_EQ(S().views().at("app.totals").indexes(0).comment(), "idx");
}

TEST_F(PostgresApplyTest, SetCommentOnMissingObjects) {
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_SCHEMA name: "nope" } })pb",
              Code::kNotFound, "postgres schema nope does not exist");
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_COLUMN schema: "public"
      name: "users" sub: "nope" } })pb",
              Code::kNotFound, "postgres column public.users.nope does not exist");
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_FUNCTION schema: "public"
      name: "add" sub: "text" } })pb",
              Code::kNotFound, "postgres function public.add(text) does not exist");
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_INDEX schema: "public"
      name: "users" sub: "nope" } })pb",
              Code::kNotFound, "postgres index public.users.nope does not exist");
}

TEST(PostgresValidate, RejectsUnspecifiedAndEmpty) {
  auto msg = [](const std::string& text) { return ValidateEvent(Ev(text)).message(); };
  EXPECT_EQ(ValidateEvent(Ev("")).message(), "postgres change: kind is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(add_constraint { schema: "public" table: "users"
      constraint { name: "c" definition: "CHECK (true)" } })pb"),
            "postgres add_constraint public.users: constraint type is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(create_table { table { schema: "public" name: "t"
      columns { name: "id" type: "int" } } })pb"),
            "postgres create_table public.t: column id identity is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(create_table { table { schema: "public" name: "t"
      constraints { name: "k" definition: "x" } } })pb"),
            "postgres create_table public.t: constraint k type is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(set_column_identity { schema: "s" table: "t" column: "c" })pb"),
            "postgres set_column_identity s.t: column c identity is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(create_type { type { schema: "public" name: "mood" } })pb"),
            "postgres create_type public.mood: type kind is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(set_comment { target { name: "x" } })pb"),
            "postgres set_comment: object kind is UNSPECIFIED");
}

TEST(PostgresValidate, NamesAreRequiredAndUnique) {
  auto msg = [](const std::string& text) { return ValidateEvent(Ev(text)).message(); };
  EXPECT_EQ(msg(R"pb(drop_table { table: "t" })pb"), "postgres drop_table: schema name is empty");
  EXPECT_EQ(msg(R"pb(add_column { schema: "public" table: "users"
      column { type: "int" identity: PG_IDENTITY_NONE } })pb"),
            "postgres add_column public.users: column name is empty");
  EXPECT_EQ(msg(R"pb(create_table { table { schema: "public" name: "t"
      columns { name: "id" type: "int" identity: PG_IDENTITY_NONE }
      columns { name: "id" type: "int" identity: PG_IDENTITY_NONE } } })pb"),
            "postgres create_table public.t: column id appears twice");
  EXPECT_EQ(msg(R"pb(create_table { table { schema: "public" name: "t"
      columns { name: "id" identity: PG_IDENTITY_NONE } } })pb"),
            "postgres create_table public.t: column id type is empty");
  EXPECT_EQ(msg(R"pb(set_comment { target { kind: PG_OBJECT_COLUMN schema: "s" name: "t" } })pb"),
            "postgres set_comment: column name is empty");
  EXPECT_EQ(msg(R"pb(drop_extension {})pb"), "postgres drop_extension: extension name is empty");
  EXPECT_EQ(msg(R"pb(set_comment { target { kind: PG_OBJECT_FUNCTION schema: "s" } })pb"),
            "postgres set_comment: function name is empty");
  EXPECT_EQ(msg(R"pb(set_comment { target { kind: PG_OBJECT_EXTENSION } })pb"),
            "postgres set_comment: extension name is empty");
  EXPECT_EQ(msg(R"pb(create_type { type { schema: "s" name: "d" domain {} } })pb"),
            "postgres create_type s.d: domain base type is empty");
  EXPECT_EQ(msg(R"pb(create_type { type { schema: "s" name: "e"
      enum_type { labels: ["a", "a"] } } })pb"),
            "postgres create_type s.e: label 'a' appears twice");
  EXPECT_TRUE(ValidateEvent(Ev(kSetup[1])).ok());
}

TEST(PostgresTouched, TopLevelObjects) {
  pb::SchemaState none;
  auto touched = [&none](const std::string& text) { return TouchedObjects(Ev(text), none); };
  using V = std::vector<std::string>;
  EXPECT_EQ(touched(R"pb(drop_schema { schema: "app" })pb"), V{"app"});
  EXPECT_EQ(touched(R"pb(drop_column { schema: "public" table: "users" column: "x" })pb"),
            V{"public.users"});
  EXPECT_EQ(touched(R"pb(create_index { schema: "app" table: "totals" index { name: "i" } })pb"),
            V{"app.totals"});
  EXPECT_EQ(touched(R"pb(drop_function { schema: "public" name: "add"
      identity_arguments: "integer, integer" })pb"),
            V{"public.add(integer, integer)"});
  EXPECT_EQ(touched(R"pb(create_extension { extension { name: "pgcrypto" } })pb"),
            V{"ext:pgcrypto"});
  EXPECT_EQ(touched(R"pb(set_comment { target { kind: PG_OBJECT_COLUMN schema: "public"
      name: "users" sub: "email" } })pb"),
            V{"public.users"});
  EXPECT_EQ(touched(R"pb(set_comment { target { kind: PG_OBJECT_FUNCTION schema: "public"
      name: "f" } })pb"),
            V{"public.f()"});
  EXPECT_EQ(touched(R"pb(set_comment { target { kind: PG_OBJECT_SCHEMA name: "app" } })pb"),
            V{"app"});
  EXPECT_TRUE(touched("").empty());
}

}  // namespace
}  // namespace strata
