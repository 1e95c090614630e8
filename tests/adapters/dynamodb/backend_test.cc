// The DynamoDB backend as the commands see it through the backend interface: table files in,
// artifacts and table files out, Mizzle snapshots imported, changes and tables presented.
// Everything here works on files in a fresh directory; no endpoint is involved.
#include "adapters/dynamodb/backend.h"

#include <google/protobuf/util/message_differencer.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/backend/registry.h"
#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/describe.h"
#include "adapters/dynamodb/snapshot.h"
#include "adapters/dynamodb/table_dir.h"
#include "tests/adapters/dynamodb/test_tables.h"
#include "engine/threads.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;
using testing::AddGlobalIndex;
using testing::SimpleTable;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

pb::SchemaState StateOf(std::initializer_list<pb::DynamoTable> tables) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  *s.mutable_dynamodb() = testing::SchemaOfTables(tables);
  return s;
}

pb::Event Event(const std::string& text_format_change) {
  pb::Event e;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text_format_change,
                                                            e.mutable_dynamodb()))
      << text_format_change;
  return e;
}

class DynamoBackendTest : public ::testing::Test {
 protected:
  DynamoBackendTest() : backend_(TheBackend()) {
    source_.name = "dynamodb";
    source_.engine = pb::ENGINE_DYNAMODB;
    source_.path = tmp_ / "schema/dynamodb";
    source_.artifacts = tmp_ / "migrations/dynamodb";
  }

  backend::WriteFilesRequest Request(const std::string& format = "", bool force = false) {
    backend::WriteFilesRequest r;
    r.dir = source_.path;
    r.format = format;
    r.force = force;
    return r;
  }

  // "action path-relative-to-the-source reason" for each written file.
  std::vector<std::string> Outcome(const Result<std::vector<backend::WrittenFile>>& written) {
    std::vector<std::string> out;
    EXPECT_TRUE(written.ok()) << written.status().ToString();
    if (!written.ok()) return out;
    for (const auto& w : *written) {
      std::string line = w.object + " " + w.action + " " +
                         fs::path(w.path).lexically_relative(source_.path).string();
      if (!w.reason.empty()) line += " (" + w.reason + ")";
      out.push_back(line);
    }
    return out;
  }

  const backend::Backend& backend_;
  strata::testing::TempDir tmp_;
  backend::SourceSpec source_;
};

TEST_F(DynamoBackendTest, IsRegisteredAsTheDynamoDBBackend) {
  EXPECT_EQ(backend::Named("dynamodb"), &backend_);
  EXPECT_EQ(backend::ForEngine(pb::ENGINE_DYNAMODB), &backend_);
  EXPECT_EQ(backend_.display_name(), "DynamoDB");
  EXPECT_EQ(backend_.object_noun(), "table");
  EXPECT_EQ(backend_.data_noun(), "items");
  EXPECT_EQ(backend_.default_source_dir(), "schema/dynamodb");
  EXPECT_TRUE(backend_.declarative());
  EXPECT_EQ(backend_.file_formats(), (std::vector<std::string>{"yaml", "json"}));
  EXPECT_EQ(backend_.import_formats(), (std::vector<std::string>{"mizzle"}));
}

// ---- LoadDesired -------------------------------------------------------------------------

TEST_F(DynamoBackendTest, LoadDesiredOfAMissingDirectoryNamesIt) {
  auto desired = backend_.LoadDesired(source_);
  ASSERT_FALSE(desired.ok());
  EXPECT_EQ(desired.status().code(), Code::kNotFound);
  EXPECT_EQ(desired.status().message(),
            "schema dynamodb: no directory " + source_.path +
                "; create it and put table files in it (or run strata init)");
}

TEST_F(DynamoBackendTest, LoadDesiredOfAFileWhereTheDirectoryShouldBeIsNotFound) {
  Spit(source_.path, "table: orders\n");
  auto desired = backend_.LoadDesired(source_);
  ASSERT_FALSE(desired.ok());
  EXPECT_EQ(desired.status().code(), Code::kNotFound);
  EXPECT_NE(desired.status().message().find("no directory " + source_.path), std::string::npos)
      << desired.status().message();
}

TEST_F(DynamoBackendTest, LoadDesiredReadsEveryTableFile) {
  Spit(fs::path(source_.path) / "orders.yaml",
       "table: orders\npartition_key: { name: id, type: S }\n");
  Spit(fs::path(source_.path) / "carts.json", RenderCreateTableText(SimpleTable("carts")));
  auto desired = backend_.LoadDesired(source_);
  ASSERT_TRUE(desired.ok()) << desired.status().ToString();
  EXPECT_EQ(desired->engine(), pb::ENGINE_DYNAMODB);
  EXPECT_TRUE(MessageDifferencer::Equals(*desired,
                                         StateOf({SimpleTable("carts"), SimpleTable("orders")})))
      << desired->DebugString();
}

TEST_F(DynamoBackendTest, LoadDesiredOfAnEmptyDirectoryIsAnEmptyDynamoSchema) {
  fs::create_directories(source_.path);
  auto desired = backend_.LoadDesired(source_);
  ASSERT_TRUE(desired.ok()) << desired.status().ToString();
  EXPECT_EQ(desired->engine(), pb::ENGINE_DYNAMODB);
  EXPECT_TRUE(desired->has_dynamodb());
  EXPECT_EQ(desired->dynamodb().tables_size(), 0);
}

TEST_F(DynamoBackendTest, LoadDesiredNamesTheBadFileAndLine) {
  const fs::path bad = fs::path(source_.path) / "orders.yaml";
  Spit(bad, "table: orders\npartition_key: { name: id, type: S }\nsortkey: { name: at, type: N }\n");
  auto desired = backend_.LoadDesired(source_);
  ASSERT_FALSE(desired.ok());
  EXPECT_EQ(desired.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(desired.status().message(),
            bad.string() + ":3: unknown key \"sortkey\" in table file; did you mean \"sort_key\"?");
}

// ---- WriteArtifacts ----------------------------------------------------------------------

TEST_F(DynamoBackendTest, WriteArtifactsWritesANumberedArtifactAndTheSnapshot) {
  backend::ArtifactRequest r;
  r.seq = 1;
  r.name = "create orders";
  r.message = "orders for the shop";
  r.time = "2026-03-01T09:00:00Z";
  r.events = {Event(R"pb(create_table { table { name: "orders" key { partition_key: "id" }
                attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
                billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                stream: DYNAMO_STREAM_DISABLED table_class: DYNAMO_TABLE_CLASS_STANDARD } })pb")};
  r.desired = StateOf({SimpleTable("orders")});
  auto paths = backend_.WriteArtifacts(source_, r);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  const fs::path dir(source_.artifacts);
  EXPECT_EQ(*paths, (std::vector<std::string>{(dir / "0000_create_orders.json").string(),
                                              (dir / "snapshot.json").string()}));

  auto artifact = nlohmann::json::parse(Slurp(dir / "0000_create_orders.json"));
  EXPECT_EQ(artifact["seq"], 1);
  EXPECT_EQ(artifact["message"], "orders for the shop");
  EXPECT_EQ(artifact["time"], "2026-03-01T09:00:00Z");
  ASSERT_EQ(artifact["operations"].size(), 1u);
  EXPECT_EQ(artifact["operations"][0]["op"], "create_table");
  EXPECT_EQ(artifact["operations"][0]["table"], "orders");

  auto snapshot = ReadSnapshotFile(dir / "snapshot.json");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*snapshot, r.desired.dynamodb()));
  EXPECT_EQ(Slurp(dir / "snapshot.json"), RenderSnapshotText(r.desired.dynamodb()));
}

TEST_F(DynamoBackendTest, TheNextArtifactTakesTheNextNumberAndTheSnapshotFollows) {
  backend::ArtifactRequest first;
  first.seq = 1;
  first.name = "create_orders";
  first.events = {Event(R"pb(create_table { table { name: "orders" key { partition_key: "id" }
                    attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
                    billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                    stream: DYNAMO_STREAM_DISABLED
                    table_class: DYNAMO_TABLE_CLASS_STANDARD } })pb")};
  first.desired = StateOf({SimpleTable("orders")});
  auto first_paths = backend_.WriteArtifacts(source_, first);
  ASSERT_TRUE(first_paths.ok()) << first_paths.status().ToString();

  backend::ArtifactRequest second;
  second.seq = 2;
  second.name = "drop_orders";
  second.events = {Event(R"pb(drop_table { table: "orders" })pb")};
  second.desired = StateOf({});
  auto paths = backend_.WriteArtifacts(source_, second);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  const fs::path dir(source_.artifacts);
  ASSERT_EQ(paths->size(), 2u);
  EXPECT_EQ((*paths)[0], (dir / "0001_drop_orders.json").string());
  EXPECT_TRUE(fs::exists(dir / "0000_create_orders.json"));  // earlier artifacts stay
  auto snapshot = ReadSnapshotFile(dir / "snapshot.json");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ(snapshot->tables_size(), 0);
}

TEST_F(DynamoBackendTest, WriteArtifactsRefusesEventsOfAnotherEngineAndWritesNothing) {
  backend::ArtifactRequest r;
  r.seq = 1;
  r.name = "oops";
  pb::Event pg;
  pg.mutable_postgres()->mutable_drop_schema()->set_schema("app");
  r.events = {pg};
  r.desired = StateOf({});
  auto paths = backend_.WriteArtifacts(source_, r);
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(paths.status().message().rfind("event 1: ", 0), 0u) << paths.status().message();
  EXPECT_FALSE(fs::exists(fs::path(source_.artifacts) / "0000_oops.json"));
  EXPECT_FALSE(fs::exists(fs::path(source_.artifacts) / "snapshot.json"));
}

// ---- WriteFiles and FilesDefining --------------------------------------------------------

TEST_F(DynamoBackendTest, WriteFilesWritesNewTablesAsYamlByDefaultAndAsJsonWhenAsked) {
  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({SimpleTable("orders")}), Request())),
            (std::vector<std::string>{"orders written orders.yaml"}));
  EXPECT_EQ(
      Outcome(backend_.WriteFiles(source_, StateOf({SimpleTable("carts")}), Request("json"))),
      (std::vector<std::string>{"carts written carts.json"}));
  const fs::path dir(source_.path);
  EXPECT_EQ(Slurp(dir / "orders.yaml"), RenderTableYaml(SimpleTable("orders")));
  EXPECT_EQ(Slurp(dir / "carts.json"), RenderCreateTableText(SimpleTable("carts")));
  // What was written loads back as the same tables.
  auto loaded = backend_.LoadDesired(source_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*loaded,
                                         StateOf({SimpleTable("carts"), SimpleTable("orders")})));
}

TEST_F(DynamoBackendTest, WriteFilesLeavesMatchingFilesAndRefusesDifferentOnesUnlessForced) {
  ASSERT_TRUE(backend_.WriteFiles(source_, StateOf({SimpleTable("orders")}), Request()).ok());
  const fs::path file = fs::path(source_.path) / "orders.yaml";
  const std::string before = Slurp(file);

  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({SimpleTable("orders")}), Request())),
            (std::vector<std::string>{"orders unchanged orders.yaml"}));

  pb::DynamoTable indexed = SimpleTable("orders");
  AddGlobalIndex(&indexed, "by_status", "status");
  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({indexed}), Request())),
            (std::vector<std::string>{
                "orders differs orders.yaml (it defines the table differently)"}));
  EXPECT_EQ(Slurp(file), before);

  // Forced, and asked for JSON: the file that defines the table keeps its own format.
  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({indexed}), Request("json", true))),
            (std::vector<std::string>{"orders overwritten orders.yaml"}));
  EXPECT_EQ(Slurp(file), RenderTableYaml(indexed));
  EXPECT_FALSE(fs::exists(fs::path(source_.path) / "orders.json"));
}

TEST_F(DynamoBackendTest, WriteFilesNeverReplacesAFileThatDefinesAnotherTableUnlessForced) {
  // users.json holds the table "people": writing table users as JSON would land on it.
  Spit(fs::path(source_.path) / "users.json", RenderCreateTableText(SimpleTable("people")));
  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({SimpleTable("users")}), Request("json"))),
            (std::vector<std::string>{
                "users differs users.json (it exists and does not define this table)"}));
  EXPECT_EQ(Slurp(fs::path(source_.path) / "users.json"),
            RenderCreateTableText(SimpleTable("people")));
  EXPECT_EQ(Outcome(backend_.WriteFiles(source_, StateOf({SimpleTable("users")}),
                                        Request("json", true))),
            (std::vector<std::string>{
                "users overwritten users.json (it exists and does not define this table)"}));
  EXPECT_EQ(Slurp(fs::path(source_.path) / "users.json"),
            RenderCreateTableText(SimpleTable("users")));
}

TEST_F(DynamoBackendTest, WriteFilesRefusesAnUnknownFormatAndWritesNothing) {
  auto written = backend_.WriteFiles(source_, StateOf({SimpleTable("orders")}), Request("toml"));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(written.status().message(), "--format must be yaml or json, not \"toml\"");
  EXPECT_FALSE(fs::exists(source_.path));
}

TEST_F(DynamoBackendTest, WriteFilesWritesTablesInNameOrder) {
  EXPECT_EQ(Outcome(backend_.WriteFiles(
                source_, StateOf({SimpleTable("users"), SimpleTable("carts"), SimpleTable("orders")}),
                Request())),
            (std::vector<std::string>{"carts written carts.yaml", "orders written orders.yaml",
                                      "users written users.yaml"}));
}

TEST_F(DynamoBackendTest, FilesDefiningMapsEachTableToItsFile) {
  const fs::path dir(source_.path);
  Spit(dir / "orders.yaml", RenderTableYaml(SimpleTable("orders")));
  Spit(dir / "billing" / "invoices.json", RenderCreateTableText(SimpleTable("invoices")));
  Spit(dir / "README.md", "not a table\n");
  auto files = backend_.FilesDefining(source_);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(*files, (std::map<std::string, std::string>{
                        {"invoices", (dir / "billing" / "invoices.json").string()},
                        {"orders", (dir / "orders.yaml").string()}}));
}

TEST_F(DynamoBackendTest, FilesDefiningOfAMissingDirectoryIsEmpty) {
  auto files = backend_.FilesDefining(source_);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE(files->empty());
}

TEST_F(DynamoBackendTest, FilesDefiningNamesBothFilesOfATableDefinedTwice) {
  const fs::path dir(source_.path);
  Spit(dir / "a.yaml", RenderTableYaml(SimpleTable("orders")));
  Spit(dir / "b.json", RenderCreateTableText(SimpleTable("orders")));
  auto files = backend_.FilesDefining(source_);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(files.status().message(), (dir / "a.yaml").string() + " and " +
                                          (dir / "b.json").string() +
                                          " both define table orders; keep one");
}

// ---- imports -----------------------------------------------------------------------------

TEST_F(DynamoBackendTest, ReadImportFileReadsAMizzleSnapshot) {
  auto state = backend_.ReadImportFile(
      "mizzle", (fs::path(STRATA_TESTDATA_DIR) / "dynamodb" / "mizzle_snapshot.json").string());
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->engine(), pb::ENGINE_DYNAMODB);
  ASSERT_EQ(state->dynamodb().tables().count("users"), 1u);
  ASSERT_EQ(state->dynamodb().tables().count("posts"), 1u);
  const pb::DynamoTable& users = state->dynamodb().tables().at("users");
  EXPECT_EQ(users.key().partition_key(), "userId");
  ASSERT_EQ(users.global_indexes_size(), 1);
  EXPECT_EQ(users.global_indexes(0).name(), "emailIndex");
  const pb::DynamoTable& posts = state->dynamodb().tables().at("posts");
  EXPECT_EQ(posts.key().sort_key(), "postedAt");
  EXPECT_EQ(posts.billing_mode(), pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_EQ(posts.local_indexes(0).name(), "byLikes");
}

TEST_F(DynamoBackendTest, ReadImportFileRefusesOtherFormatsAndMissingFiles) {
  auto other = backend_.ReadImportFile("drizzle", tmp_ / "x.json");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(other.status().message(), "dynamodb imports no \"drizzle\" files");

  auto missing = backend_.ReadImportFile("mizzle", tmp_ / "missing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find(tmp_ / "missing.json"), std::string::npos)
      << missing.status().message();
}

// ---- presentation ------------------------------------------------------------------------

TEST_F(DynamoBackendTest, DescribeChangeSaysWhatHappensToTheTable) {
  struct Case {
    const char* change;
    char sign;
    const char* text;
  };
  const Case cases[] = {
      {R"pb(create_table { table { name: "orders" } })pb", '+', "create table"},
      {R"pb(drop_table { table: "orders" })pb", '-', "drop table"},
      {R"pb(replace_table { table { name: "orders" } reason: "the sort key changes" })pb", '!',
       "replace table (the sort key changes; all items are lost)"},
      // The table changes when an index comes or goes.
      {R"pb(add_global_index { table: "orders" index { name: "by_status" } })pb", '~',
       "add global index by_status"},
      {R"pb(drop_global_index { table: "orders" index: "by_status" })pb", '~',
       "drop global index by_status"},
      {R"pb(set_tag { table: "orders" key: "team" value: "shop" })pb", '~', "tag team=shop"},
      {R"pb(remove_tag { table: "orders" key: "team" })pb", '-', "remove tag team"},
      {R"pb(set_deletion_protection { table: "orders" enabled: true })pb", '~',
       "enable deletion protection"},
  };
  for (const Case& c : cases) {
    backend::ChangeText t = backend_.DescribeChange(Event(c.change));
    EXPECT_EQ(t.sign, c.sign) << c.change;
    EXPECT_EQ(t.text, c.text) << c.change;
  }
}

TEST_F(DynamoBackendTest, DescribeChangeOfAnotherEnginesEventIsTheGenericOne) {
  pb::Event pg;
  pg.mutable_postgres()->mutable_add_column()->mutable_column()->set_name("email");
  pg.mutable_postgres()->mutable_add_column()->mutable_column()->set_type("text");
  backend::ChangeText t = backend_.DescribeChange(pg);
  EXPECT_EQ(t.sign, '+');
  EXPECT_EQ(t.text, "add column email text");
}

TEST_F(DynamoBackendTest, ObjectJsonOfOneTableIsItsCreateTableInput) {
  pb::DynamoTable orders = SimpleTable("orders");
  AddGlobalIndex(&orders, "by_status", "status");
  nlohmann::ordered_json j = backend_.ObjectJson(StateOf({orders}));
  EXPECT_EQ(j, RenderCreateTable(orders));
  EXPECT_EQ(j["TableName"], "orders");
  EXPECT_EQ(j["KeySchema"][0]["AttributeName"], "id");
  EXPECT_EQ(j["KeySchema"][0]["KeyType"], "HASH");
  EXPECT_EQ(j["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(j["GlobalSecondaryIndexes"][0]["IndexName"], "by_status");
  EXPECT_FALSE(j.contains("engine"));
}

TEST_F(DynamoBackendTest, ObjectJsonOfSeveralTablesIsTheFragment) {
  nlohmann::ordered_json j =
      backend_.ObjectJson(StateOf({SimpleTable("orders"), SimpleTable("carts")}));
  EXPECT_EQ(j["engine"], "ENGINE_DYNAMODB");
  EXPECT_TRUE(j["dynamodb"]["tables"].contains("orders"));
  EXPECT_TRUE(j["dynamodb"]["tables"].contains("carts"));
}

TEST_F(DynamoBackendTest, SummaryLinesAreOnePerTableInNameOrder) {
  pb::DynamoTable orders = SimpleTable("orders");
  AddGlobalIndex(&orders, "by_status", "status");
  EXPECT_EQ(backend_.SummaryLines(StateOf({orders, SimpleTable("carts")})),
            (std::vector<std::string>{"carts  PK id (S)  on-demand",
                                      "orders  PK id (S)  GSI by_status  on-demand"}));
}

TEST_F(DynamoBackendTest, SummaryLineNamesKeysIndexesAndCapacity) {
  pb::DynamoTable t = SimpleTable("events");
  t.mutable_key()->set_sort_key("at");
  auto* at = t.add_attributes();
  at->set_name("at");
  at->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_N);
  AddGlobalIndex(&t, "by_user", "user");
  AddGlobalIndex(&t, "by_kind", "kind");
  t.add_local_indexes()->set_name("by_at");
  t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  t.mutable_throughput()->set_read_capacity_units(5);
  t.mutable_throughput()->set_write_capacity_units(25);
  EXPECT_EQ(SummaryLine(t),
            "events  PK id (S)  SK at (N)  GSI by_kind,by_user  LSI by_at  provisioned 5/25");
  t.mutable_key()->set_sort_key("missing");
  EXPECT_EQ(SummaryLine(t).find("SK missing (?)"), std::string("events  PK id (S)  ").size());
}

// Thousands of tables are summed up on two threads (one half each); the lines are the tables'
// own summary lines in name order either way.
TEST_F(DynamoBackendTest, ManySummaryLinesAreEachTablesLineInNameOrderWithOrWithoutThreads) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_DYNAMODB);
  std::vector<std::string> names;
  for (int i = 0; i < 1500; ++i) {
    const std::string name = "t" + std::to_string((i * 7919) % 1500);
    pb::DynamoTable t = SimpleTable(name);
    for (int g = 0; g < i % 4; ++g) AddGlobalIndex(&t, "g" + std::to_string(g), "k");
    if (i % 3 == 0) {
      t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
      t.mutable_throughput()->set_read_capacity_units(i);
      t.mutable_throughput()->set_write_capacity_units(1);
    }
    (*state.mutable_dynamodb()->mutable_tables())[name] = t;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> want;
  for (const auto& n : names) want.push_back(SummaryLine(state.dynamodb().tables().at(n)));
  EXPECT_EQ(backend_.SummaryLines(state), want);
  RefuseThreadsForTesting no_threads;
  EXPECT_EQ(backend_.SummaryLines(state), want);
  EXPECT_EQ(no_threads.refused(), 1);
}

// A schema replayed in two parts (split by table name at a pivot) has the lines of the whole:
// the parts are sorted on two threads and the lines made on two, whatever the sizes of the
// parts, and the same without threads.
TEST_F(DynamoBackendTest, SummaryLinesOfTwoPartsAreTheWholeSchemasLines) {
  pb::SchemaState whole;
  whole.set_engine(pb::ENGINE_DYNAMODB);
  for (int i = 0; i < 1500; ++i) {
    const std::string name = fmt::format("t{:04}", (i * 7919) % 1500);
    pb::DynamoTable t = SimpleTable(name);
    for (int g = 0; g < i % 3; ++g) AddGlobalIndex(&t, "g" + std::to_string(g), "k");
    (*whole.mutable_dynamodb()->mutable_tables())[name] = t;
  }
  const std::vector<std::string> want = backend_.SummaryLines(whole);
  ASSERT_EQ(want.size(), 1500u);
  for (const std::string pivot : {"t0000", "t0100", "t0750", "t1400", "t9999"}) {
    pb::SchemaState first, second;
    first.set_engine(pb::ENGINE_DYNAMODB);
    second.set_engine(pb::ENGINE_DYNAMODB);
    for (const auto& [name, t] : whole.dynamodb().tables()) {
      pb::SchemaState& part = name < pivot ? first : second;
      (*part.mutable_dynamodb()->mutable_tables())[name] = t;
    }
    EXPECT_EQ(backend_.SummaryLinesOfParts(first, second), want) << "pivot " << pivot;
    RefuseThreadsForTesting no_threads;
    EXPECT_EQ(backend_.SummaryLinesOfParts(first, second), want) << "pivot " << pivot;
    EXPECT_EQ(no_threads.refused(), 2);  // the second part's sort, and half of the lines
  }
}

}  // namespace
}  // namespace strata::dynamodb
