// The backend interface's shared parts: the registry, the signs and words of changes, the
// base implementations a backend inherits (status of declarative files, object JSON, the
// refusals of what a backend does not do) and the plan helpers. A fake declarative backend
// stands in where the base behaviour is what is tested.
#include "adapters/backend/backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "adapters/backend/registry.h"

namespace strata::backend {
namespace {

pb::SchemaState DynamoState(std::initializer_list<const char*> tables) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  auto* schema = s.mutable_dynamodb();
  for (const char* name : tables) {
    pb::DynamoTable& t = (*schema->mutable_tables())[name];
    t.set_name(name);
    t.mutable_key()->set_partition_key("id");
    auto* a = t.add_attributes();
    a->set_name("id");
    a->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
    t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
    t.set_stream(pb::DYNAMO_STREAM_DISABLED);
    t.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  }
  return s;
}

// A declarative backend whose "files" are states kept by directory; everything it does not
// override is the base implementation under test.
class FakeBackend : public Backend {
 public:
  pb::Engine engine() const override { return pb::ENGINE_DYNAMODB; }
  std::string_view name() const override { return "fake"; }
  std::string_view object_noun() const override { return "thing"; }
  std::string default_source_dir() const override { return "schema/fake"; }
  std::string InitConfig(const std::string&, const std::string&) const override { return ""; }
  std::vector<SettingInfo> target_settings() const override { return {}; }
  bool declarative() const override { return true; }

  Result<pb::SchemaState> LoadDesired(const SourceSpec& source) const override {
    auto it = files.find(source.path);
    if (it == files.end()) {
      return Status::NotFound("schema " + source.name + ": no directory " + source.path);
    }
    return it->second;
  }
  Result<std::unique_ptr<Target>> OpenTarget(const TargetSpec&, const Services&) const override {
    return Status::Unimplemented("no targets");
  }

  std::map<std::string, pb::SchemaState> files;
};

SourceSpec Source(const std::string& path) {
  SourceSpec s;
  s.name = "things";
  s.engine = pb::ENGINE_DYNAMODB;
  s.path = path;
  s.artifacts = path + "/artifacts";
  return s;
}

// ---- the registry ------------------------------------------------------------------------

TEST(RegistryTest, FindsEachBackendByEngineAndByName) {
  const Backend* dynamo = ForEngine(pb::ENGINE_DYNAMODB);
  ASSERT_NE(dynamo, nullptr);
  EXPECT_EQ(dynamo->name(), "dynamodb");
  EXPECT_EQ(dynamo->engine(), pb::ENGINE_DYNAMODB);
  EXPECT_EQ(Named("dynamodb"), dynamo);

  const Backend* pg = ForEngine(pb::ENGINE_POSTGRES);
  ASSERT_NE(pg, nullptr);
  EXPECT_EQ(pg->name(), "postgres");
  EXPECT_EQ(Named("postgres"), pg);
  EXPECT_NE(pg, dynamo);
}

TEST(RegistryTest, EveryRegisteredBackendIsFoundUnderItsOwnEngineAndName) {
  ASSERT_FALSE(All().empty());
  for (const Backend* b : All()) {
    EXPECT_EQ(ForEngine(b->engine()), b) << b->name();
    EXPECT_EQ(Named(b->name()), b) << b->name();
  }
}

TEST(RegistryTest, UnknownEnginesAndNamesFindNothing) {
  EXPECT_EQ(ForEngine(pb::ENGINE_UNSPECIFIED), nullptr);
  EXPECT_EQ(Named(""), nullptr);
  EXPECT_EQ(Named("mysql"), nullptr);
  EXPECT_EQ(Named("DynamoDB"), nullptr);  // names are exact, as strata.yaml writes them
  EXPECT_EQ(Named("dynamo"), nullptr);
}

TEST(RegistryTest, NamesTextListsTheBackendsForMessages) {
  EXPECT_EQ(NamesText(), "dynamodb, glue or postgres");
}

// ---- signs and words ---------------------------------------------------------------------

TEST(SignOfTest, AddsRemovesReplacesAndChanges) {
  EXPECT_EQ(SignOf("create_table"), '+');
  EXPECT_EQ(SignOf("add_column"), '+');
  EXPECT_EQ(SignOf("drop_table"), '-');
  EXPECT_EQ(SignOf("remove_tag"), '-');
  EXPECT_EQ(SignOf("replace_table"), '!');
  EXPECT_EQ(SignOf("alter_column_type"), '~');
  EXPECT_EQ(SignOf("set_billing"), '~');
  // Only a prefix counts, and only a whole one.
  EXPECT_EQ(SignOf("replace_view"), '~');
  EXPECT_EQ(SignOf("update_database"), '~');
  EXPECT_EQ(SignOf("created"), '~');
  EXPECT_EQ(SignOf(""), '~');
}

TEST(BackendDescribeChangeTest, PostgresAddColumnNamesTheColumnAndItsType) {
  FakeBackend fake;
  pb::Event e;
  auto* add = e.mutable_postgres()->mutable_add_column();
  add->set_schema("public");
  add->set_table("users");
  add->mutable_column()->set_name("email");
  add->mutable_column()->set_type("character varying(255)");
  ChangeText t = fake.DescribeChange(e);
  EXPECT_EQ(t.sign, '+');
  EXPECT_EQ(t.text, "add column email character varying(255)");
}

TEST(BackendDescribeChangeTest, PartsNamedByAStringAreNamed) {
  FakeBackend fake;
  pb::Event drop;
  auto* d = drop.mutable_postgres()->mutable_drop_column();
  d->set_schema("public");
  d->set_table("users");
  d->set_column("legacy_id");
  EXPECT_EQ(fake.DescribeChange(drop).sign, '-');
  EXPECT_EQ(fake.DescribeChange(drop).text, "drop column legacy_id");

  pb::Event idx;
  idx.mutable_postgres()->mutable_create_index()->mutable_index()->set_name("users_email_idx");
  EXPECT_EQ(fake.DescribeChange(idx).sign, '+');
  EXPECT_EQ(fake.DescribeChange(idx).text, "create index users_email_idx");

  pb::Event constraint;
  constraint.mutable_postgres()->mutable_drop_constraint()->set_constraint("users_pkey");
  EXPECT_EQ(fake.DescribeChange(constraint).text, "drop constraint users_pkey");
}

TEST(BackendDescribeChangeTest, ChangesWithoutAPartAreTheirKindInWords) {
  FakeBackend fake;
  pb::Event alter;
  alter.mutable_postgres()->mutable_alter_column_type()->set_column("total");
  alter.mutable_postgres()->mutable_alter_column_type()->set_type("numeric");
  EXPECT_EQ(fake.DescribeChange(alter).sign, '~');
  EXPECT_EQ(fake.DescribeChange(alter).text, "alter column type total");

  pb::Event glue;
  glue.mutable_glue()->mutable_set_location()->set_location("s3://lake/orders");
  EXPECT_EQ(fake.DescribeChange(glue).sign, '~');
  EXPECT_EQ(fake.DescribeChange(glue).text, "set location");

  pb::Event replace;
  replace.mutable_dynamodb()->mutable_replace_table()->set_reason("the key changes");
  EXPECT_EQ(fake.DescribeChange(replace).sign, '!');
  EXPECT_EQ(fake.DescribeChange(replace).text, "replace table");
}

TEST(BackendDescribeChangeTest, AnEventWithoutAChangeIsUnknown) {
  FakeBackend fake;
  ChangeText none = fake.DescribeChange(pb::Event());
  EXPECT_EQ(none.sign, '~');
  EXPECT_EQ(none.text, "unknown change");
  pb::Event engine_only;
  engine_only.mutable_postgres();
  EXPECT_EQ(fake.DescribeChange(engine_only).text, "unknown change");
}

// ---- base implementations ------------------------------------------------------------------

TEST(BackendStatusTest, DeclarativeStatusDiffsTheFilesAgainstTheRecordedState) {
  FakeBackend fake;
  fake.files["/p/schema"] = DynamoState({"carts", "orders"});
  auto status = fake.Status(Source("/p/schema"), DynamoState({"orders", "users"}), {});
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->noun, "change");
  EXPECT_EQ(status->next_step, "run strata generate");
  EXPECT_TRUE(status->items.empty());
  ASSERT_EQ(status->changes.size(), 2u);
  EXPECT_EQ(status->pending(), 2u);
  // Sorted by table: carts is created, users dropped.
  ASSERT_TRUE(status->changes[0].dynamodb().has_create_table());
  EXPECT_EQ(status->changes[0].dynamodb().create_table().table().name(), "carts");
  ASSERT_TRUE(status->changes[1].dynamodb().has_drop_table());
  EXPECT_EQ(status->changes[1].dynamodb().drop_table().table(), "users");
}

TEST(BackendStatusTest, FilesThatMatchTheLogHaveNothingPending) {
  FakeBackend fake;
  fake.files["/p/schema"] = DynamoState({"orders"});
  auto status = fake.Status(Source("/p/schema"), DynamoState({"orders"}), {"ignored"});
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_TRUE(status->changes.empty());
  EXPECT_EQ(status->pending(), 0u);
}

TEST(BackendStatusTest, NothingRecordedYetMeansEveryFileIsPending) {
  FakeBackend fake;
  fake.files["/p/schema"] = DynamoState({"orders"});
  auto status = fake.Status(Source("/p/schema"), pb::SchemaState(), {});
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_EQ(status->changes.size(), 1u);
  EXPECT_EQ(status->changes[0].dynamodb().create_table().table().name(), "orders");
}

TEST(BackendStatusTest, TheFilesErrorIsTheStatusError) {
  FakeBackend fake;
  auto status = fake.Status(Source("/p/missing"), pb::SchemaState(), {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.status().code(), Code::kNotFound);
  EXPECT_EQ(status.status().message(), "schema things: no directory /p/missing");
}

TEST(BackendStatusTest, RecordedStateOfAnotherEngineIsRefused) {
  FakeBackend fake;
  fake.files["/p/schema"] = DynamoState({"orders"});
  pb::SchemaState pg;
  pg.set_engine(pb::ENGINE_POSTGRES);
  pg.mutable_postgres();
  auto status = fake.Status(Source("/p/schema"), pg, {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.status().code(), Code::kInvalidArgument);
}

TEST(BackendDefaultsTest, WritingFilesAndImportingAreRefusedByName) {
  FakeBackend fake;
  auto written = fake.WriteFiles(Source("/p/schema"), DynamoState({"orders"}), {});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), Code::kUnimplemented);
  EXPECT_EQ(written.status().message(), "schema things: fake objects cannot be written as files");
  auto imported = fake.ReadImportFile("mizzle", "/p/snapshot.json");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(imported.status().message(), "fake imports no \"mizzle\" files");
  EXPECT_TRUE(fake.file_formats().empty());
  EXPECT_TRUE(fake.import_formats().empty());
  auto defining = fake.FilesDefining(Source("/p/schema"));
  ASSERT_TRUE(defining.ok());
  EXPECT_TRUE(defining->empty());
}

TEST(BackendDefaultsTest, ObjectJsonIsTheFragmentWithProtoFieldNames) {
  FakeBackend fake;
  nlohmann::ordered_json j = fake.ObjectJson(DynamoState({"orders"}));
  ASSERT_TRUE(j.is_object()) << j.dump();
  EXPECT_EQ(j["engine"], "ENGINE_DYNAMODB");
  EXPECT_EQ(j["dynamodb"]["tables"]["orders"]["key"]["partition_key"], "id");
  EXPECT_EQ(j["dynamodb"]["tables"]["orders"]["billing_mode"], "DYNAMO_BILLING_MODE_PAY_PER_REQUEST");
  auto text = fake.ObjectText(DynamoState({"orders"}), "orders");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, j.dump(2) + "\n");
}

TEST(BackendDefaultsTest, SummaryLinesAreTheObjectNames) {
  FakeBackend fake;
  EXPECT_EQ(fake.SummaryLines(DynamoState({"users", "carts", "orders"})),
            (std::vector<std::string>{"carts", "orders", "users"}));
  // A schema in two parts: the first part's lines, then the second's.
  EXPECT_EQ(fake.SummaryLinesOfParts(DynamoState({"users", "carts"}), DynamoState({"x", "a"})),
            (std::vector<std::string>{"carts", "users", "a", "x"}));
  EXPECT_EQ(fake.display_name(), "fake");
  EXPECT_EQ(fake.data_noun(), "data");
  EXPECT_TRUE(fake.drift_against_cursor());
}

// ---- plans -----------------------------------------------------------------------------------

TEST(BackendPlanTest, ActionNames) {
  EXPECT_EQ(ActionName(Action::kCreate), "create");
  EXPECT_EQ(ActionName(Action::kUpdate), "update");
  EXPECT_EQ(ActionName(Action::kReplace), "replace");
  EXPECT_EQ(ActionName(Action::kDelete), "delete");
}

TEST(BackendPlanTest, OperationCountAndBlockedObjects) {
  Plan plan;
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.OperationCount(), 0u);
  EXPECT_FALSE(plan.AnyBlocked());

  ObjectPlan orders;
  orders.object = "orders";
  orders.operations = {{"UpdateTable", "add global index by_status", false, true, "ACTIVE", ""},
                       {"UpdateTable", "drop global index by_day", false, true, "ACTIVE", ""}};
  ObjectPlan carts;
  carts.object = "carts";
  carts.action = Action::kCreate;
  carts.operations = {{"CreateTable", "create table", false, true, "ACTIVE", ""}};
  plan.objects = {orders, carts};
  EXPECT_FALSE(plan.empty());
  EXPECT_EQ(plan.OperationCount(), 3u);
  EXPECT_FALSE(plan.AnyBlocked());

  ObjectPlan users;
  users.object = "users";
  users.action = Action::kReplace;
  users.blocked = true;
  users.blocked_reason = "replacing users loses its items; pass --allow-replace users";
  plan.objects.push_back(users);
  EXPECT_TRUE(plan.AnyBlocked());
  EXPECT_EQ(plan.OperationCount(), 3u);
}

TEST(ProtoJsonTest, MapEntriesComeInKeyOrderWhateverTheInsertionOrder) {
  // Enough entries that the hash order of protobuf's map and the key order differ.
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back("tag-" + std::to_string((i * 17) % 40));
  pb::DynamoTable forward, backward;
  for (pb::DynamoTable* t : {&forward, &backward}) {
    t->set_name("orders");
    t->set_ttl_attribute("expires_at");
  }
  for (const auto& k : keys) (*forward.mutable_tags())[k] = "v" + k;
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) (*backward.mutable_tags())[*it] = "v" + *it;
  const nlohmann::ordered_json a = ProtoJson(forward), b = ProtoJson(backward);
  EXPECT_EQ(a.dump(), b.dump());
  ASSERT_TRUE(a.contains("tags"));
  std::vector<std::string> order;
  for (const auto& [key, value] : a["tags"].items()) {
    order.push_back(key);
    EXPECT_EQ(value, "v" + key);
  }
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(order, sorted);
  EXPECT_EQ(a["ttl_attribute"], "expires_at");  // proto field names, not lowerCamelCase
}

}  // namespace
}  // namespace strata::backend
