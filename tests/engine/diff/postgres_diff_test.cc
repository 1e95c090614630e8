#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <set>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "tests/engine/testing/diff_law.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using testing::ExpectDiffLaw;

pb::SchemaState Wrap(const pb::PostgresSchema& s) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_POSTGRES);
  *state.mutable_postgres() = s;
  return state;
}

TEST(PgDiffLaw, ApplyOfDiffGivesTheTargetForRandomPairs) {
  constexpr int kPairs = 3000;
  int non_empty = 0;
  std::set<int> kinds;
  for (int seed = 0; seed < kPairs; ++seed) {
    testing::RandomPostgres rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.postgres()));
    auto events = ExpectDiffLaw(a, b, "seed " + std::to_string(seed));
    non_empty += !events.empty();
    for (const auto& e : events) kinds.insert(e.postgres().kind_case());
    ExpectDiffLaw(b, a, "reverse of seed " + std::to_string(seed));
    auto same = Diff(a, a);
    ASSERT_TRUE(same.ok());
    ASSERT_TRUE(same->empty()) << "seed " << seed << ": Diff(a, a) not empty";
    if (::testing::Test::HasFailure()) FAIL() << "stopping at seed " << seed;
  }
  EXPECT_GT(non_empty, kPairs * 8 / 10);  // the generator really produces changes
  for (int kind = 1; kind <= pb::PostgresChange::kSetComment; ++kind) {  // ... of every kind
    EXPECT_TRUE(kinds.count(kind)) << "no diff produced PostgresChange kind " << kind;
  }
  for (int kind : {pb::PostgresChange::kSetRowSecurity, pb::PostgresChange::kCreatePolicy,
                   pb::PostgresChange::kDropPolicy, pb::PostgresChange::kSetAcl,
                   pb::PostgresChange::kSetDefaultPrivileges}) {
    EXPECT_TRUE(kinds.count(kind)) << "no diff produced PostgresChange kind " << kind;
  }
}

TEST(PgDiffLaw, FromAndToTheEmptySchema) {
  for (int seed = 0; seed < 200; ++seed) {
    testing::RandomPostgres rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    ExpectDiffLaw(Wrap(pb::PostgresSchema()), a, "create seed " + std::to_string(seed));
    ExpectDiffLaw(a, Wrap(pb::PostgresSchema()), "drop seed " + std::to_string(seed));
  }
}

constexpr char kUsers[] = R"pb(
  schema: "public" name: "users"
  columns { name: "id" type: "bigint" not_null: true identity: PG_IDENTITY_ALWAYS }
  columns { name: "email" type: "text" not_null: true identity: PG_IDENTITY_NONE }
  columns { name: "name" type: "text" identity: PG_IDENTITY_NONE default_expr: "''::text" }
  constraints { name: "users_email_key" type: PG_CONSTRAINT_UNIQUE definition: "UNIQUE (email)" }
  constraints { name: "users_pkey" type: PG_CONSTRAINT_PRIMARY_KEY definition: "PRIMARY KEY (id)" }
  indexes { name: "users_name_idx" definition: "CREATE INDEX users_name_idx ON users (name)" }
  comment: "people")pb";

class PgDiffTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(TextFormat::ParseFromString(kUsers, &users_)); }

  static pb::SchemaState WithTable(const pb::PgTable& t) {
    pb::PostgresSchema s;
    (*s.mutable_tables())["public.users"] = t;
    return Wrap(s);
  }
  // The events turning users_ into `b`, after checking the law on them.
  std::vector<pb::PostgresChange> DiffTo(const pb::PgTable& b) {
    std::vector<pb::PostgresChange> out;
    for (const auto& e : ExpectDiffLaw(WithTable(users_), WithTable(b), "unit")) {
      out.push_back(e.postgres());
    }
    return out;
  }
  pb::PgTable users_;
};

TEST_F(PgDiffTest, ColumnTypeChangeIsOneAlterColumnType) {
  pb::PgTable b = users_;
  b.mutable_columns(1)->set_type("character varying(320)");
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].alter_column_type().column(), "email");
  EXPECT_EQ(events[0].alter_column_type().type(), "character varying(320)");
}

TEST_F(PgDiffTest, NewColumnIsAppended) {
  pb::PgTable b = users_;
  auto* c = b.add_columns();
  c->set_name("age");
  c->set_type("integer");
  c->set_identity(pb::PG_IDENTITY_NONE);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].add_column().column().name(), "age");
}

TEST_F(PgDiffTest, AColumnOutOfPlaceIsDroppedAndAddedAgain) {
  pb::PgTable b = users_;
  b.mutable_columns()->SwapElements(1, 2);  // id, name, email: email must move to the end
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].drop_column().column(), "email");
  EXPECT_EQ(events[1].add_column().column().name(), "email");
}

TEST_F(PgDiffTest, DefaultGivesWayToIdentityBeforeTheIdentityIsSet) {
  pb::PgTable b = users_;
  b.mutable_columns(2)->clear_default_expr();
  b.mutable_columns(2)->set_identity(pb::PG_IDENTITY_BY_DEFAULT);
  b.mutable_columns(2)->set_not_null(true);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_FALSE(events[0].set_column_default().has_default_expr());
  EXPECT_TRUE(events[1].set_column_not_null().not_null());
  EXPECT_EQ(events[2].set_column_identity().identity(), pb::PG_IDENTITY_BY_DEFAULT);
}

TEST_F(PgDiffTest, RedefinedConstraintIsDroppedAndAdded) {
  pb::PgTable b = users_;
  b.mutable_constraints(0)->set_definition("UNIQUE (email, name)");
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].drop_constraint().constraint(), "users_email_key");
  EXPECT_EQ(events[1].add_constraint().constraint().definition(), "UNIQUE (email, name)");
}

TEST_F(PgDiffTest, CommentOnlyChangesAreSetComments) {
  pb::PgTable b = users_;
  b.set_comment("");
  b.mutable_columns(1)->set_comment("primary contact");
  b.mutable_indexes(0)->set_comment("for search");
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].set_comment().target().kind(), pb::PG_OBJECT_COLUMN);
  EXPECT_EQ(events[0].set_comment().target().sub(), "email");
  EXPECT_EQ(events[1].set_comment().target().kind(), pb::PG_OBJECT_TABLE);
  EXPECT_EQ(events[1].set_comment().comment(), "");
  EXPECT_EQ(events[2].set_comment().target().kind(), pb::PG_OBJECT_INDEX);
  EXPECT_EQ(events[2].set_comment().target().sub(), "users_name_idx");
}

TEST(PgDiff, NewTableGetsItsForeignKeysAfterAllCreates) {
  pb::PostgresSchema b;
  pb::PgTable orders;
  ASSERT_TRUE(TextFormat::ParseFromString(R"pb(schema: "app" name: "a_orders"
      columns { name: "user_id" type: "bigint" identity: PG_IDENTITY_NONE }
      constraints { name: "a_orders_user_fkey" type: PG_CONSTRAINT_FOREIGN_KEY
                    definition: "FOREIGN KEY (user_id) REFERENCES app.users(id)" })pb",
                                          &orders));
  pb::PgTable users;
  users.set_schema("app");
  users.set_name("users");
  (*b.mutable_tables())["app.a_orders"] = orders;
  (*b.mutable_tables())["app.users"] = users;
  auto events = ExpectDiffLaw(Wrap(pb::PostgresSchema()), Wrap(b), "fk");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].postgres().create_table().table().constraints_size(), 0);
  EXPECT_EQ(events[1].postgres().create_table().table().name(), "users");
  EXPECT_EQ(events[2].postgres().add_constraint().constraint().name(), "a_orders_user_fkey");
}

TEST(PgDiff, MaterializingAViewDropsItBeforeTablesAndCreatesItAfter) {
  pb::PostgresSchema a, b;
  pb::PgView v;
  v.set_schema("app");
  v.set_name("totals");
  v.set_definition(" SELECT 1;");
  (*a.mutable_views())["app.totals"] = v;
  v.set_materialized(true);
  (*b.mutable_views())["app.totals"] = v;
  pb::PgTable t;
  t.set_schema("app");
  t.set_name("t");
  (*b.mutable_tables())["app.t"] = t;
  auto events = ExpectDiffLaw(Wrap(a), Wrap(b), "flip");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[0].postgres().has_drop_view());
  EXPECT_TRUE(events[1].postgres().has_create_table());
  EXPECT_TRUE(events[2].postgres().create_view().view().materialized());
}

TEST(PgDiff, EnumLabelAdditionIsOneAlterTypeAndCommentIsASetComment) {
  pb::PostgresSchema a;
  pb::PgType mood;
  ASSERT_TRUE(TextFormat::ParseFromString(
      R"pb(schema: "public" name: "mood" enum_type { labels: ["sad", "ok"] })pb", &mood));
  (*a.mutable_types())["public.mood"] = mood;
  pb::PostgresSchema b = a;
  (*b.mutable_types())["public.mood"].mutable_enum_type()->add_labels("happy");
  auto events = ExpectDiffLaw(Wrap(a), Wrap(b), "enum");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].postgres().alter_type().type().enum_type().labels_size(), 3);
  pb::PostgresSchema c = a;
  (*c.mutable_types())["public.mood"].set_comment("feelings");
  events = ExpectDiffLaw(Wrap(a), Wrap(c), "type comment");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].postgres().set_comment().target().kind(), pb::PG_OBJECT_TYPE);
}

TEST(PgDiff, NamespaceIsCreatedFirstAndDroppedLast) {
  pb::PostgresSchema a, b;
  (*a.mutable_namespaces())["old"].set_name("old");
  pb::PgSequence q;
  q.set_schema("old");
  q.set_name("s");
  (*a.mutable_sequences())["old.s"] = q;
  (*b.mutable_namespaces())["new"].set_name("new");
  q.set_schema("new");
  (*b.mutable_sequences())["new.s"] = q;
  auto events = ExpectDiffLaw(Wrap(a), Wrap(b), "namespaces");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].postgres().create_schema().schema().name(), "new");
  EXPECT_TRUE(events[1].postgres().has_create_sequence());
  EXPECT_TRUE(events[2].postgres().has_drop_sequence());
  EXPECT_EQ(events[3].postgres().drop_schema().schema(), "old");
}

}  // namespace
}  // namespace strata
