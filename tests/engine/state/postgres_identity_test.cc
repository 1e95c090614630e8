// Renames, partitions, definitions reset by the server and fallback objects: applying them to
// PostgreSQL state, and diffing states that hold them.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "tests/engine/testing/postgres_events.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

pb::Event Ev(const std::string& text) { return strata::testing::PgEvent(text); }

pb::PgColumn Col(const std::string& name, const std::string& type = "integer") {
  pb::PgColumn c;
  c.set_name(name);
  c.set_type(type);
  c.set_identity(pb::PG_IDENTITY_NONE);
  return c;
}

pb::PgTable Table(const std::string& name, std::vector<std::string> columns) {
  pb::PgTable t;
  t.set_schema("public");
  t.set_name(name);
  for (const auto& c : columns) *t.add_columns() = Col(c);
  return t;
}

pb::PgTable Partition(const std::string& name, std::vector<std::string> columns,
                      const std::string& bound) {
  pb::PgTable t = Table(name, std::move(columns));
  t.mutable_partition_of()->set_parent("public.payment");
  t.mutable_partition_of()->set_bound(bound);
  return t;
}

// public.payment, range-partitioned by month into three partitions, one of them attached with
// its own column order; a sequence owned by payment.id.
pb::SchemaState Payments() {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  auto& tables = *s.mutable_postgres()->mutable_tables();
  pb::PgTable parent = Table("payment", {"id", "paid_on", "amount"});
  parent.set_partition_key("RANGE (paid_on)");
  tables["public.payment"] = parent;
  tables["public.payment_01"] = Partition("payment_01", {"id", "paid_on", "amount"},
                                          "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')");
  tables["public.payment_02"] = Partition("payment_02", {"id", "paid_on", "amount"},
                                          "FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')");
  tables["public.payment_old"] =
      Partition("payment_old", {"amount", "id", "paid_on"}, "FOR VALUES FROM (MINVALUE) TO ('2026-01-01')");
  auto& q = (*s.mutable_postgres()->mutable_sequences())["public.payment_id_seq"];
  q.set_schema("public");
  q.set_name("payment_id_seq");
  q.set_data_type("bigint");
  q.set_owned_by("public.payment.id");
  return s;
}

std::vector<std::string> Verbs(const std::vector<pb::Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    const auto* f = e.postgres().GetReflection()->GetOneofFieldDescriptor(
        e.postgres(), pb::PostgresChange::descriptor()->FindOneofByName("kind"));
    out.push_back(f ? f->name() : "?");
  }
  return out;
}

void ExpectDiffApplies(const pb::SchemaState& a, const pb::SchemaState& b,
                       const std::vector<pb::Event>& events) {
  pb::SchemaState applied = a;
  for (const auto& e : events) ASSERT_TRUE(Apply(e, &applied).ok()) << e.ShortDebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(applied, b))
      << "applied:\n" << applied.DebugString() << "\nwanted:\n" << b.DebugString();
}

TEST(PostgresPartitions, AColumnAddedToTheParentIsOneChangeThatReachesEveryPartition) {
  pb::SchemaState a = Payments();
  pb::SchemaState b = a;
  for (auto& [_, t] : *b.mutable_postgres()->mutable_tables()) *t.add_columns() = Col("note", "text");
  b.mutable_postgres()->mutable_tables()->at("public.payment").mutable_columns(3)->set_comment("why");
  auto events = Diff(a, b);
  ASSERT_TRUE(events.ok());
  // One add on the parent (its comment included); nothing per partition, which get the
  // column without the parent's comment on it.
  EXPECT_EQ(Verbs(*events), (std::vector<std::string>{"add_column"}));
  for (auto& [key, t] : *b.mutable_postgres()->mutable_tables()) {
    if (key != "public.payment") t.mutable_columns(3)->clear_comment();
  }
  ExpectDiffApplies(a, b, *events);
  // The partition attached with its own order got the column at its end, like the others.
  EXPECT_EQ(b.postgres().tables().at("public.payment_old").columns(3).name(), "note");
}

TEST(PostgresPartitions, DroppingAndRetypingAParentColumnRecurses) {
  pb::SchemaState a = Payments();
  pb::SchemaState b = a;
  for (auto& [_, t] : *b.mutable_postgres()->mutable_tables()) {
    auto* cols = t.mutable_columns();
    for (int i = 0; i < cols->size(); ++i) {
      if (cols->Get(i).name() == "amount") cols->Mutable(i)->set_type("numeric(12,2)");
    }
  }
  auto events = Diff(a, b);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(Verbs(*events), (std::vector<std::string>{"alter_column_type"}));
  ExpectDiffApplies(a, b, *events);
}

TEST(PostgresPartitions, DetachAttachAndANewBoundAreSetPartitionEvents) {
  pb::SchemaState a = Payments();
  auto* index = a.mutable_postgres()->mutable_tables()->at("public.payment_02").add_indexes();
  index->set_name("payment_02_amount_idx");
  index->set_definition("CREATE INDEX payment_02_amount_idx ON public.payment_02 (amount)");
  index->set_parent_index("public.payment_amount_idx");
  pb::SchemaState b = a;
  auto& tables = *b.mutable_postgres()->mutable_tables();
  tables.at("public.payment_02").clear_partition_of();  // DETACH, which detaches its index too
  tables.at("public.payment_02").mutable_indexes(0)->clear_parent_index();
  tables.at("public.payment_01").mutable_partition_of()->set_bound("DEFAULT");
  auto events = Diff(a, b);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(Verbs(*events), (std::vector<std::string>{"set_partition", "set_partition"}));
  EXPECT_EQ((*events)[0].postgres().set_partition().partition_of().bound(), "DEFAULT");
  EXPECT_FALSE((*events)[1].postgres().set_partition().has_partition_of());
  ExpectDiffApplies(a, b, *events);
  // Both are changes of the partition, not creations or drops.
  EXPECT_EQ(EffectOf((*events)[1]), ObjectEffect::kChanges);
  EXPECT_EQ(TouchedObjects((*events)[1], a), (std::vector<std::string>{"public.payment_02"}));
}

TEST(PostgresPartitions, ANewPartitionKeyMakesTheTableAgain) {
  pb::SchemaState a = Payments();
  pb::SchemaState b = a;
  b.mutable_postgres()->mutable_tables()->at("public.payment").set_partition_key("LIST (id)");
  auto events = Diff(a, b);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(Verbs(*events), (std::vector<std::string>{"drop_table", "create_table"}));
  ExpectDiffApplies(a, b, *events);
}

TEST(PostgresRename, ATableRenameMovesItAndEveryReferenceToIt) {
  pb::SchemaState s = Payments();
  ASSERT_TRUE(Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_TABLE schema: "public"
                          name: "payment" } new_name: "payments" })pb"),
                    &s)
                  .ok());
  const auto& pg = s.postgres();
  EXPECT_FALSE(pg.tables().count("public.payment"));
  EXPECT_EQ(pg.tables().at("public.payments").name(), "payments");
  EXPECT_EQ(pg.tables().at("public.payment_01").partition_of().parent(), "public.payments");
  EXPECT_EQ(pg.sequences().at("public.payment_id_seq").owned_by(), "public.payments.id");
}

TEST(PostgresRename, AColumnRenameReachesPartitionsAndTheSequenceOwner) {
  pb::SchemaState s = Payments();
  ASSERT_TRUE(Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_COLUMN schema: "public"
                          name: "payment" sub: "id" } new_name: "payment_id" })pb"),
                    &s)
                  .ok());
  for (const char* t : {"public.payment", "public.payment_01", "public.payment_old"}) {
    bool found = false;
    for (const auto& c : s.postgres().tables().at(t).columns()) found |= c.name() == "payment_id";
    EXPECT_TRUE(found) << t;
  }
  // The column keeps its place: a rename is not a drop and an add.
  EXPECT_EQ(s.postgres().tables().at("public.payment").columns(0).name(), "payment_id");
  EXPECT_EQ(s.postgres().sequences().at("public.payment_id_seq").owned_by(),
            "public.payment.payment_id");
}

TEST(PostgresRename, RefusalsLeaveTheStateAlone) {
  pb::SchemaState s = Payments();
  const pb::SchemaState before = s;
  Status taken = Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_TABLE schema: "public"
                              name: "payment" } new_name: "payment_01" })pb"),
                       &s);
  EXPECT_EQ(taken.code(), Code::kAlreadyExists);
  EXPECT_EQ(taken.message(), "postgres table public.payment_01 already exists");
  Status missing = Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_COLUMN schema: "public"
                                name: "payment" sub: "nope" } new_name: "x" })pb"),
                         &s);
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.message(), "postgres column public.payment.nope does not exist");
  Status empty = Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_TABLE schema: "public"
                              name: "payment" } })pb"),
                       &s);
  EXPECT_EQ(empty.message(), "postgres rename public.payment: new name is empty");
  EXPECT_TRUE(MessageDifferencer::Equals(before, s));
}

TEST(PostgresRename, TouchesTheObjectUnderBothNames) {
  auto touched = TouchedObjects(Ev(R"pb(rename { target { kind: PG_OBJECT_TABLE
                                    schema: "public" name: "payment" } new_name: "payments" })pb"),
                                pb::SchemaState());
  EXPECT_EQ(touched, (std::vector<std::string>{"public.payment", "public.payments"}));
  auto column = TouchedObjects(Ev(R"pb(rename { target { kind: PG_OBJECT_COLUMN
                                    schema: "public" name: "payment" sub: "id" }
                                    new_name: "pid" })pb"),
                               pb::SchemaState());
  EXPECT_EQ(column, (std::vector<std::string>{"public.payment"}));
}

TEST(PostgresRename, ASchemaRenameMovesEverythingInIt) {
  pb::SchemaState s = Payments();
  (*s.mutable_postgres()->mutable_namespaces())["public"].set_name("public");
  ASSERT_TRUE(
      Apply(Ev(R"pb(rename { target { kind: PG_OBJECT_SCHEMA name: "public" } new_name: "billing" })pb"),
            &s)
          .ok());
  const auto& pg = s.postgres();
  EXPECT_TRUE(pg.namespaces().count("billing"));
  EXPECT_EQ(pg.tables().at("billing.payment_02").partition_of().parent(), "billing.payment");
  EXPECT_EQ(pg.sequences().at("billing.payment_id_seq").owned_by(), "billing.payment.id");
  EXPECT_EQ(pg.tables().size(), 4u);
}

TEST(PostgresSetDefinition, ReplacesOnlyTheText) {
  pb::SchemaState s = Payments();
  auto* t = &s.mutable_postgres()->mutable_tables()->at("public.payment_01");
  auto* i = t->add_indexes();
  i->set_name("payment_01_amount_idx");
  i->set_definition("CREATE INDEX payment_01_amount_idx ON public.payment_01 USING btree (amount)");
  i->set_comment("kept");
  ASSERT_TRUE(Apply(Ev(R"pb(set_definition { target { kind: PG_OBJECT_INDEX schema: "public"
                          name: "payment_01" sub: "payment_01_amount_idx" }
                          definition: "CREATE INDEX payment_01_amount_idx ON public.payment_01 USING btree (total)" })pb"),
                    &s)
                  .ok());
  const auto& got = s.postgres().tables().at("public.payment_01").indexes(0);
  EXPECT_EQ(got.definition(),
            "CREATE INDEX payment_01_amount_idx ON public.payment_01 USING btree (total)");
  EXPECT_EQ(got.comment(), "kept");
  Status view = Apply(Ev(R"pb(set_definition { target { kind: PG_OBJECT_VIEW schema: "public"
                             name: "v" } definition: "x" })pb"),
                      &s);
  EXPECT_EQ(view.message(),
            "postgres set_definition public.v: only an index, a constraint or a trigger has a "
            "definition to set");
}

TEST(PostgresOthers, CreatedReplacedAndDroppedAsText) {
  pb::SchemaState a;
  a.set_engine(pb::ENGINE_POSTGRES);
  a.mutable_postgres();
  pb::SchemaState b = a;
  auto& o = (*b.mutable_postgres()->mutable_others())["operator:public.==="];
  o.set_kind("operator");
  o.set_schema("public");
  o.set_name("===");
  o.set_definition("CREATE OPERATOR public.=== (FUNCTION = public.eq, LEFTARG = integer)");
  auto create = Diff(a, b);
  ASSERT_TRUE(create.ok());
  EXPECT_EQ(Verbs(*create), (std::vector<std::string>{"create_other"}));
  ExpectDiffApplies(a, b, *create);
  EXPECT_EQ(TouchedObjects((*create)[0], a), (std::vector<std::string>{"operator:public.==="}));
  pb::SchemaState c = b;
  c.mutable_postgres()->mutable_others()->at("operator:public.===").set_definition("CREATE OPERATOR x");
  auto replace = Diff(b, c);
  ASSERT_TRUE(replace.ok());
  EXPECT_EQ(Verbs(*replace), (std::vector<std::string>{"replace_other"}));
  auto drop = Diff(c, a);
  ASSERT_TRUE(drop.ok());
  EXPECT_EQ(Verbs(*drop), (std::vector<std::string>{"drop_other"}));
  ExpectDiffApplies(c, a, *drop);
}

TEST(PostgresEnum, AnEmptyLabelIsALabel) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  EXPECT_TRUE(Apply(Ev(R"pb(create_type { type { schema: "public" name: "e"
                          enum_type { labels: ["a", ""] } } })pb"),
                    &s)
                  .ok());
  Status twice = Apply(Ev(R"pb(create_type { type { schema: "public" name: "f"
                              enum_type { labels: ["", ""] } } })pb"),
                       &s);
  EXPECT_EQ(twice.message(), "postgres create_type public.f: label '' appears twice");
}

}  // namespace
}  // namespace strata
