// EffectOf: which typed changes bring a top-level object into being, remove it, or change it.
// Every kind of every engine is checked (found by reflection over the change oneofs, so a kind
// added later is checked too); changes to the parts of an object (indexes, columns, triggers)
// change the object they belong to.
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "engine/state/objects.h"

namespace strata {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const char* EffectName(ObjectEffect e) {
  switch (e) {
    case ObjectEffect::kCreates: return "creates";
    case ObjectEffect::kDrops: return "drops";
    case ObjectEffect::kChanges: return "changes";
  }
  return "?";
}

// Sets `field` (a member of the change's only oneof) to its default message.
void SetKind(Message* change, const FieldDescriptor* field) {
  change->GetReflection()->MutableMessage(change, field);
}

// Every kind of `change`'s oneof, with the effect EffectOf gives an event holding just it.
template <typename Change>
std::map<std::string, std::string> EffectsOfEveryKind(Change* (pb::Event::*mutable_change)()) {
  std::map<std::string, std::string> out;
  const auto* oneof = Change::descriptor()->oneof_decl(0);
  for (int i = 0; i < oneof->field_count(); ++i) {
    pb::Event e;
    SetKind((e.*mutable_change)(), oneof->field(i));
    out[oneof->field(i)->name()] = EffectName(EffectOf(e));
  }
  return out;
}

// The kinds that create or drop; every other kind of the engine must change.
void ExpectEffects(const std::map<std::string, std::string>& got,
                   const std::set<std::string>& creates, const std::set<std::string>& drops) {
  for (const auto& c : creates) ASSERT_TRUE(got.count(c)) << "no kind " << c;
  for (const auto& d : drops) ASSERT_TRUE(got.count(d)) << "no kind " << d;
  for (const auto& [kind, effect] : got) {
    const std::string expected = creates.count(kind) ? "creates"
                                 : drops.count(kind) ? "drops"
                                                     : "changes";
    EXPECT_EQ(effect, expected) << kind;
  }
}

TEST(ObjectEffectTest, DynamoTablesAreCreatedAndDroppedEverythingElseChangesThem) {
  auto got = EffectsOfEveryKind(&pb::Event::mutable_dynamodb);
  EXPECT_EQ(got.size(), 25u);
  // A replaced table is dropped and created again, but the object stays: it changes.
  ExpectEffects(got, {"create_table"}, {"drop_table"});
  EXPECT_EQ(got.at("replace_table"), "changes");
  EXPECT_EQ(got.at("add_global_index"), "changes");
  EXPECT_EQ(got.at("drop_global_index"), "changes");
  EXPECT_EQ(got.at("remove_tag"), "changes");
  EXPECT_EQ(got.at("set_resource_policy"), "changes");
  EXPECT_EQ(got.at("set_point_in_time_recovery"), "changes");
  EXPECT_EQ(got.at("set_contributor_insights"), "changes");
  EXPECT_EQ(got.at("add_kinesis_destination"), "changes");
  EXPECT_EQ(got.at("remove_kinesis_destination"), "changes");
  EXPECT_EQ(got.at("set_kinesis_destination_precision"), "changes");
  // A replica is part of its table: adding or removing one changes the table.
  EXPECT_EQ(got.at("add_replica"), "changes");
  EXPECT_EQ(got.at("remove_replica"), "changes");
  EXPECT_EQ(got.at("update_replica"), "changes");
}

TEST(ObjectEffectTest, GlueDatabasesAndTablesAreCreatedAndDropped) {
  auto got = EffectsOfEveryKind(&pb::Event::mutable_glue);
  EXPECT_EQ(got.size(), 18u);
  ExpectEffects(got, {"create_database", "create_table"}, {"drop_database", "drop_table"});
  EXPECT_EQ(got.at("drop_column"), "changes");
  EXPECT_EQ(got.at("set_bucketing"), "changes");
  EXPECT_EQ(got.at("add_column"), "changes");
  EXPECT_EQ(got.at("remove_table_parameter"), "changes");
}

TEST(ObjectEffectTest, PostgresTopLevelObjectsAreCreatedAndDroppedTheirPartsChange) {
  auto got = EffectsOfEveryKind(&pb::Event::mutable_postgres);
  EXPECT_EQ(got.size(), 54u);
  // Every kind of change is covered, including any added after this test was written.
  EXPECT_EQ(got.size(), static_cast<size_t>(pb::PostgresChange::descriptor()->field_count()));
  ExpectEffects(got,
                {"create_schema", "create_table", "create_view", "create_sequence",
                 "create_type", "create_extension", "create_function", "create_event_trigger",
                 "create_foreign_server", "create_other"},
                {"drop_schema", "drop_table", "drop_view", "drop_sequence", "drop_type",
                 "drop_extension", "drop_function", "drop_event_trigger", "drop_foreign_server",
                 "drop_other"});
  // Indexes, triggers, columns and constraints are parts of a table.
  for (const char* part : {"create_index", "drop_index", "create_trigger", "drop_trigger",
                           "add_column", "drop_column", "add_constraint", "drop_constraint"}) {
    EXPECT_EQ(got.at(part), "changes") << part;
  }
  // A rename or an attachment keeps the object (and its history).
  EXPECT_EQ(got.at("rename"), "changes");
  EXPECT_EQ(got.at("set_partition"), "changes");
  // Policies and privileges change their object; default privileges entries are set, never
  // created or dropped (an empty ACL returns one to the default).
  for (const char* kind : {"create_policy", "drop_policy", "set_row_security", "set_acl",
                           "set_default_privileges"}) {
    EXPECT_EQ(got.at(kind), "changes") << kind;
  }
  // Replacing a view or function keeps the object.
  EXPECT_EQ(got.at("replace_view"), "changes");
  EXPECT_EQ(got.at("replace_function"), "changes");
}

TEST(ObjectEffectTest, PostgresCreateIndexIsAChangeOfItsTable) {
  pb::Event e;
  auto* ci = e.mutable_postgres()->mutable_create_index();
  ci->set_schema("public");
  ci->set_table("users");
  ci->mutable_index()->set_name("users_email_idx");
  ci->mutable_index()->set_definition("CREATE INDEX users_email_idx ON public.users (email)");
  EXPECT_EQ(EffectOf(e), ObjectEffect::kChanges);
  // The object it changes is the table, not an object named after the index.
  EXPECT_EQ(TouchedObjects(e, pb::SchemaState()), (std::vector<std::string>{"public.users"}));

  pb::Event drop;
  auto* di = drop.mutable_postgres()->mutable_drop_index();
  di->set_schema("public");
  di->set_table("users");
  di->set_index("users_email_idx");
  EXPECT_EQ(EffectOf(drop), ObjectEffect::kChanges);
  EXPECT_EQ(TouchedObjects(drop, pb::SchemaState()), (std::vector<std::string>{"public.users"}));
}

TEST(ObjectEffectTest, CreatingAndDroppingATableNameThatTable) {
  pb::Event create;
  create.mutable_postgres()->mutable_create_table()->mutable_table()->set_schema("public");
  create.mutable_postgres()->mutable_create_table()->mutable_table()->set_name("users");
  EXPECT_EQ(EffectOf(create), ObjectEffect::kCreates);
  EXPECT_EQ(TouchedObjects(create, pb::SchemaState()), (std::vector<std::string>{"public.users"}));

  pb::Event drop;
  drop.mutable_dynamodb()->mutable_drop_table()->set_table("orders");
  EXPECT_EQ(EffectOf(drop), ObjectEffect::kDrops);
  EXPECT_EQ(TouchedObjects(drop, pb::SchemaState()), (std::vector<std::string>{"orders"}));

  pb::Event glue;
  glue.mutable_glue()->mutable_create_table()->set_database("sales");
  glue.mutable_glue()->mutable_create_table()->mutable_table()->set_name("orders");
  EXPECT_EQ(EffectOf(glue), ObjectEffect::kCreates);
  EXPECT_EQ(TouchedObjects(glue, pb::SchemaState()), (std::vector<std::string>{"sales.orders"}));
}

TEST(ObjectEffectTest, AnEventWithNoChangeSetChangesNothingInParticular) {
  EXPECT_EQ(EffectOf(pb::Event()), ObjectEffect::kChanges);
  pb::Event empty_kind;
  empty_kind.mutable_dynamodb();  // an engine but no kind
  EXPECT_EQ(EffectOf(empty_kind), ObjectEffect::kChanges);
}

}  // namespace
}  // namespace strata
