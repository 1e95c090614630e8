// The table file loader over real definitions: every CreateTable input in
// tests/adapters/testdata/dynamodb/corpus/ (taken from AWS's CLI examples, developer guide,
// CloudFormation guide, sample repositories and CDK tests; the README there names each source)
// must load, hold what its source says (keys, indexes, billing and a few settings), and come back
// unchanged from its rendering in the form `strata show` prints (CreateTable JSON) and from the
// YAML form export writes.
//
// A file that does not load is reported with the loader's own FILE:LINE message; the README says
// which files use fields strata does not model yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/adapters/dynamodb/corpus_files.h"
#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/table_file.h"
#include "tests/adapters/dynamodb/table_file_testing.h"

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;
using testing::ExpectSame;

const fs::path& kCorpus = strata::testing::kDynamoCorpus;
// The corpus holds more; fewer means files went missing or the directory moved.
constexpr size_t kMinFiles = 24;


std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What each file's source says, in strata's model: partition and sort key ("NAME TYPE", sort
// key empty when there is none), index counts, billing, and the settings main models.
struct Expected {
  std::string partition_key = {};
  std::string sort_key = {};
  int global_indexes = 0;
  int local_indexes = 0;
  pb::DynamoBillingMode billing = pb::DYNAMO_BILLING_MODE_PROVISIONED;
  pb::DynamoStreamViewType stream = pb::DYNAMO_STREAM_DISABLED;
  std::string ttl = {};
  std::map<std::string, std::string> tags = {};
  pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
  bool deletion_protection = false;
  std::vector<std::string> replicas = {};  // regions, sorted
};

constexpr auto kOnDemand = pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;

const std::map<std::string, Expected>& Expectations() {
  static const auto* const kExpected = new std::map<std::string, Expected>{
      {"cdk_contributor_insights_global_table",
       {.partition_key = "hashKey S", .sort_key = "sortKey N", .global_indexes = 1,
        .billing = kOnDemand, .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES,
        .replicas = {"eu-west-2"}}},
      {"cdk_deletion_protection",
       {.partition_key = "pk S", .deletion_protection = true}},
      {"cdk_every_setting_on_demand",
       {.partition_key = "hashKey S", .sort_key = "sortKey N", .global_indexes = 5,
        .local_indexes = 4, .billing = kOnDemand, .stream = pb::DYNAMO_STREAM_KEYS_ONLY,
        .ttl = "timeToLive", .tags = {{"Environment", "Production"}}}},
      {"cdk_every_setting_provisioned",
       {.partition_key = "hashKey S", .sort_key = "sortKey N", .global_indexes = 5,
        .local_indexes = 4, .stream = pb::DYNAMO_STREAM_KEYS_ONLY, .ttl = "timeToLive",
        .tags = {{"Environment", "Production"}}}},
      {"cdk_global_table_on_demand_replica",
       {.partition_key = "pk S", .sort_key = "sk N", .global_indexes = 2, .local_indexes = 1,
        .billing = kOnDemand, .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES, .ttl = "attr",
        .tags = {{"primaryTableTagKey", "primaryTableTagValue"}},
        .table_class = pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS,
        .replicas = {"eu-west-1"}}},
      {"cdk_kinesis_stream_destination", {.partition_key = "hashKey S"}},
      {"cdk_on_demand_max_throughput", {.partition_key = "hashKey S", .billing = kOnDemand}},
      {"cdk_pitr_recovery_period", {.partition_key = "id S"}},
      {"cdk_warm_throughput", {.partition_key = "id S", .global_indexes = 1}},
      {"cfn_autoscaling_keys_only_gsi",
       {.partition_key = "ArtistId S", .sort_key = "Concert S", .global_indexes = 1}},
      {"cfn_lsi_and_gsis",
       {.partition_key = "Album S", .sort_key = "Artist S", .global_indexes = 2,
        .local_indexes = 1}},
      {"cli_game_scores_deletion_protection",
       {.partition_key = "UserId S", .sort_key = "GameTitle S", .deletion_protection = true}},
      {"cli_game_scores_gsi",
       {.partition_key = "UserId S", .sort_key = "GameTitle S", .global_indexes = 1}},
      {"cli_game_scores_keys_only_stream",
       {.partition_key = "UserId S", .sort_key = "GameTitle S",
        .stream = pb::DYNAMO_STREAM_KEYS_ONLY}},
      {"cli_game_scores_standard_ia",
       {.partition_key = "UserId S", .sort_key = "GameTitle S",
        .table_class = pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS}},
      {"cli_game_scores_stream",
       {.partition_key = "UserId S", .sort_key = "GameTitle S",
        .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}},
      {"cli_game_scores_two_gsis",
       {.partition_key = "UserId S", .sort_key = "GameTitle S", .global_indexes = 2}},
      {"cli_music_collection_customer_kms",
       {.partition_key = "Artist S", .sort_key = "SongTitle S"}},
      {"cli_music_collection_lsi",
       {.partition_key = "Artist S", .sort_key = "SongTitle S", .local_indexes = 1}},
      {"cli_music_collection_on_demand",
       {.partition_key = "Artist S", .sort_key = "SongTitle S", .billing = kOnDemand}},
      {"cli_music_collection_tags",
       {.partition_key = "Artist S", .sort_key = "SongTitle S", .tags = {{"Owner", "blueTeam"}}}},
      {"dg_autoscaling_test_table", {.partition_key = "pk N", .sort_key = "sk N"}},
      {"dg_bark_table_stream",
       {.partition_key = "Username S", .sort_key = "Timestamp S",
        .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}},
      {"dg_customer_orders_lsis",
       {.partition_key = "CustomerId S", .sort_key = "OrderId N", .local_indexes = 2}},
      {"dg_issues_three_gsis",
       {.partition_key = "IssueId S", .sort_key = "Title S", .global_indexes = 3}},
      {"dg_movies_tags", {.partition_key = "Title S", .tags = {{"Owner", "blueTeam"}}}},
      {"dg_music_collection_resource_policy",
       {.partition_key = "Artist S", .sort_key = "SongTitle S"}},
      {"dg_music_global_on_demand_stream",
       {.partition_key = "Artist S", .sort_key = "SongTitle S", .billing = kOnDemand,
        .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}},
      {"dg_music_sse_aws_managed", {.partition_key = "Artist S", .sort_key = "SongTitle S"}},
      {"dg_reply_lsi_keys_only",
       {.partition_key = "Id S", .sort_key = "ReplyDateTime S", .local_indexes = 1}},
      {"samples_ledger",
       {.partition_key = "AccountID S", .sort_key = "Event S", .global_indexes = 4,
        .billing = kOnDemand, .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}},
      {"samples_mytable_warm_throughput",
       {.partition_key = "PK S", .sort_key = "SK S", .billing = kOnDemand,
        .stream = pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}},
  };
  return *kExpected;
}

// "NAME TYPE" of a key attribute, or "" for none.
std::string Key(const pb::DynamoTable& t, const std::string& name) {
  if (name.empty()) return "";
  for (const auto& a : t.attributes()) {
    if (a.name() == name) return name + " " + std::string(AttributeTypeName(a.type()));
  }
  return name + " (no type)";
}

// The table in corpus file `stem`, or nullopt after a failure naming the file and the error.
std::optional<pb::DynamoTable> Load(const std::string& stem) {
  const std::string file = "corpus/" + stem + ".json";
  Result<pb::DynamoTable> table = ParseTableFile(Slurp(kCorpus / (stem + ".json")), file);
  if (!table.ok()) {
    ADD_FAILURE() << file << " does not load: " << table.status().ToString();
    return std::nullopt;
  }
  return *table;
}

TEST(DynamoCorpus, HoldsTheRealWorldDefinitions) {
  EXPECT_GE(strata::testing::DynamoCorpusFiles().size(), kMinFiles) << "in " << kCorpus;
}

TEST(DynamoCorpus, EveryFileHasExpectationsAndAReadmeEntry) {
  const std::string readme = Slurp(kCorpus / "README.md");
  for (const auto& stem : strata::testing::DynamoCorpusFiles()) {
    EXPECT_TRUE(Expectations().count(stem)) << stem << ".json has no expectations in this test";
    EXPECT_NE(readme.find("`" + stem + ".json`"), std::string::npos)
        << stem << ".json is not named in the corpus README";
  }
  for (const auto& [stem, expected] : Expectations()) {
    EXPECT_TRUE(fs::exists(kCorpus / (stem + ".json"))) << "expected a corpus file " << stem;
  }
}

class DynamoCorpusFile : public ::testing::TestWithParam<std::string> {};

TEST_P(DynamoCorpusFile, LoadsWhatItsSourceSays) {
  std::optional<pb::DynamoTable> t = Load(GetParam());
  ASSERT_TRUE(t.has_value());
  auto it = Expectations().find(GetParam());
  ASSERT_NE(it, Expectations().end()) << "no expectations for " << GetParam();
  const Expected& e = it->second;
  EXPECT_EQ(Key(*t, t->key().partition_key()), e.partition_key);
  EXPECT_EQ(Key(*t, t->key().sort_key()), e.sort_key);
  EXPECT_EQ(t->global_indexes_size(), e.global_indexes);
  EXPECT_EQ(t->local_indexes_size(), e.local_indexes);
  EXPECT_EQ(BillingModeName(t->billing_mode()), BillingModeName(e.billing));
  EXPECT_EQ(StreamViewTypeName(t->stream()), StreamViewTypeName(e.stream));
  EXPECT_EQ(t->ttl_attribute(), e.ttl);
  const std::map<std::string, std::string> tags(t->tags().begin(), t->tags().end());
  EXPECT_EQ(tags, e.tags);
  EXPECT_EQ(TableClassName(t->table_class()), TableClassName(e.table_class));
  EXPECT_EQ(t->deletion_protection(), e.deletion_protection);
  std::vector<std::string> regions;
  for (const auto& r : t->replicas()) regions.push_back(r.region());
  EXPECT_EQ(regions, e.replicas);
}

TEST_P(DynamoCorpusFile, ComesBackUnchangedFromTheShowAndYamlForms) {
  std::optional<pb::DynamoTable> t = Load(GetParam());
  ASSERT_TRUE(t.has_value());

  const std::string shown = RenderCreateTableText(*t);
  Result<pb::DynamoTable> from_show = ParseCreateTableJson(shown, "shown/" + GetParam() + ".json");
  ASSERT_TRUE(from_show.ok()) << from_show.status().ToString() << "\n" << shown;
  ExpectSame(*t, *from_show);
  EXPECT_EQ(RenderCreateTableText(*from_show), shown) << "the show form is not a fixed point";

  const std::string yaml = RenderTableYaml(*t);
  Result<pb::DynamoTable> from_yaml = ParseTableYaml(yaml, "shown/" + GetParam() + ".yaml");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.status().ToString() << "\n" << yaml;
  ExpectSame(*t, *from_yaml);
}

INSTANTIATE_TEST_SUITE_P(Aws, DynamoCorpusFile,
                         ::testing::ValuesIn(strata::testing::DynamoCorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;  // file stems are snake_case: valid test names
                         });

// Spot checks of details a loader could get wrong while keys and counts still match.
TEST(DynamoCorpus, ProjectionsAndThroughputAreKeptPerIndex) {
  std::optional<pb::DynamoTable> issues = Load("dg_issues_three_gsis");
  ASSERT_TRUE(issues.has_value());
  ASSERT_EQ(issues->global_indexes_size(), 3);
  // Sorted by name: CreateDateIndex, DueDateIndex, TitleIndex.
  EXPECT_EQ(issues->global_indexes(0).name(), "CreateDateIndex");
  EXPECT_EQ(issues->global_indexes(0).projection().type(), pb::DYNAMO_PROJECTION_TYPE_INCLUDE);
  const auto& included = issues->global_indexes(0).projection().non_key_attributes();
  EXPECT_EQ(std::vector<std::string>(included.begin(), included.end()),
            (std::vector<std::string>{"Description", "Status"}));
  EXPECT_EQ(issues->global_indexes(1).name(), "DueDateIndex");
  EXPECT_EQ(issues->global_indexes(1).projection().type(), pb::DYNAMO_PROJECTION_TYPE_ALL);
  EXPECT_TRUE(issues->global_indexes(1).key().sort_key().empty());
  EXPECT_EQ(issues->global_indexes(2).projection().type(), pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  EXPECT_EQ(issues->global_indexes(2).throughput().read_capacity_units(), 1);

  std::optional<pb::DynamoTable> reply = Load("dg_reply_lsi_keys_only");
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->local_indexes_size(), 1);
  EXPECT_EQ(reply->local_indexes(0).name(), "PostedBy-Index");
  EXPECT_EQ(reply->local_indexes(0).sort_key(), "PostedBy");
  EXPECT_EQ(reply->local_indexes(0).projection().type(), pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  EXPECT_EQ(reply->throughput().read_capacity_units(), 10);
  EXPECT_EQ(reply->throughput().write_capacity_units(), 5);

  std::optional<pb::DynamoTable> two = Load("cli_game_scores_two_gsis");
  ASSERT_TRUE(two.has_value());
  ASSERT_EQ(two->global_indexes_size(), 2);
  EXPECT_EQ(two->global_indexes(0).name(), "GameDateIndex");
  EXPECT_EQ(two->global_indexes(0).throughput().read_capacity_units(), 5);
  EXPECT_EQ(two->global_indexes(1).name(), "GameTitleIndex");
  EXPECT_EQ(two->global_indexes(1).throughput().read_capacity_units(), 10);
  // The attribute definitions are exactly the key attributes, sorted.
  std::vector<std::string> attributes;
  for (const auto& a : two->attributes()) attributes.push_back(Key(*two, a.name()));
  EXPECT_EQ(attributes,
            (std::vector<std::string>{"Date S", "GameTitle S", "TopScore N", "UserId S"}));
}

}  // namespace
}  // namespace strata::dynamodb
