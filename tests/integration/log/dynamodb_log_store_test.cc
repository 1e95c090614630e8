// The DynamoDB log store on moto, through a serializing fault proxy: the conformance list every
// store passes; the table it creates and the one it refuses; the item layout; pages of many and
// of big items; payloads in parts; a reply lost after the PutItem; throttling and 500s; an entry
// removed behind strata's back; the probe against a server that ignores conditions; a server
// without ReturnValuesOnConditionCheckFailure; and `strata verify` on a project naming the store.
#include "adapters/dynamodb/log_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/record/recorder.h"
#include "integration/log/dynamodb_test_support.h"
#include "tests/engine/store/log_store_conformance.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using strata::testing::EntryBytes;
using strata::testing::LogOptions;
using strata::testing::LogStoreConformance;
using strata::testing::OpenLog;
using strata::testing::SerializingProxy;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;

class DynamoFixture : public strata::testing::LogStoreFixture {
 public:
  ~DynamoFixture() override { strata::testing::DropLogTable(table_); }
  std::unique_ptr<LogStore> Open() override { return OpenLog(proxy_.url(), LogOptions(table_)); }

 private:
  SerializingProxy proxy_;
  std::string table_ = UniqueTable("log");
};

INSTANTIATE_TEST_SUITE_P(DynamoDB, LogStoreConformance,
                         ::testing::Values(strata::testing::LogStoreCase{
                             "DynamoDB", [] { return std::make_unique<DynamoFixture>(); }}),
                         strata::testing::LogStoreCaseName);

// A commit whose message makes its payload at least `bytes` long.
std::string BigEntry(uint64_t seq, const Hash& prev, size_t bytes, char fill) {
  pb::Commit c;
  c.set_seq(seq);
  c.set_prev_hash(std::string(HashBytes(prev)));
  c.set_origin(pb::ORIGIN_TAG);
  c.set_time_unix_micros(1000 + static_cast<int64_t>(seq));
  c.mutable_actor()->set_name("big");
  c.set_message(std::string(bytes, fill));
  c.mutable_tag()->set_name("big" + std::to_string(seq));
  c.mutable_tag()->set_target_seq(1);
  std::string out;
  EXPECT_TRUE(SerializeCommit(c, &out).ok());
  return out;
}

class DynamoLogStoreTest : public ::testing::Test {
 protected:
  void TearDown() override { strata::testing::DropLogTable(table_); }
  // Appends n chained entries (made by `make`); returns their bytes.
  std::vector<std::string> AppendChain(
      LogStore& store, int n,
      const std::function<std::string(uint64_t, const Hash&)>& make = {}) {
    Head at = *store.ReadHead();
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      const std::string bytes = make ? make(at.seq + 1, at.hash)
                                     : EntryBytes(at.seq + 1, at.hash, "t" + std::to_string(i));
      auto r = store.Append(at.seq + 1, bytes);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      at = Head{at.seq + 1, Sha256(bytes), std::nullopt};
      out.push_back(bytes);
    }
    return out;
  }
  // Items of one partition, straight from moto.
  std::vector<json> Items(const std::string& partition) {
    std::vector<json> out;
    json request = {{"TableName", table_},
                    {"KeyConditionExpression", "#l = :l"},
                    {"ExpressionAttributeNames", {{"#l", "log"}}},
                    {"ExpressionAttributeValues", {{":l", {{"S", partition}}}}},
                    {"ConsistentRead", true}};
    for (;;) {
      json page = strata::testing::MustCall(moto_, "Query", request);
      for (const json& item : page.value("Items", json::array())) out.push_back(item);
      if (!page.contains("LastEvaluatedKey")) break;
      request["ExclusiveStartKey"] = page["LastEvaluatedKey"];
    }
    return out;
  }

  SerializingProxy proxy_;
  TestDynamoDb moto_;  // behind strata's back: straight to moto
  std::string table_ = UniqueTable("log");
};

TEST_F(DynamoLogStoreTest, CreatesTheTableAndWritesOneItemPerCommitWithItsBytes) {
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  ASSERT_NE(store, nullptr);
  const json table = strata::testing::MustCall(moto_, "DescribeTable", {{"TableName", table_}});
  EXPECT_EQ(table["Table"]["KeySchema"],
            json::parse(R"([{"AttributeName":"log","KeyType":"HASH"},
                            {"AttributeName":"seq","KeyType":"RANGE"}])"));
  EXPECT_EQ(table["Table"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  const auto bytes = AppendChain(*store, 2);
  const auto items = Items("test");
  ASSERT_EQ(items.size(), 2u);
  const json& second = items[1];
  EXPECT_EQ(second["seq"]["N"], "2");
  auto b64 = [](std::string_view b) {
    // What moto hands back is what was sent: compare the base64 forms.
    static constexpr char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < b.size(); i += 3) {
      uint32_t v = (uint8_t(b[i]) << 16) | (uint8_t(b[i + 1]) << 8) | uint8_t(b[i + 2]);
      out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
    }
    if (i + 1 == b.size()) {
      uint32_t v = uint8_t(b[i]) << 16;
      out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == b.size()) {
      uint32_t v = (uint8_t(b[i]) << 16) | (uint8_t(b[i + 1]) << 8);
      out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
    }
    return out;
  };
  EXPECT_EQ(second["payload"]["B"], b64(bytes[1]));
  EXPECT_EQ(second["sha256"]["B"], b64(HashBytes(Sha256(bytes[1]))));
  EXPECT_EQ(second["prev_sha256"]["B"], b64(HashBytes(Sha256(bytes[0]))));
  EXPECT_EQ(second["created_at"]["N"], "1772000000000000");
  EXPECT_NE(store->Describe().find(fmt::format("DynamoDB log test (table {}, region us-east-1, "
                                               "endpoint {})",
                                               table_, proxy_.url())),
            std::string::npos)
      << store->Describe();
  // A second store finds the table as it is.
  auto again = OpenLog(proxy_.url(), LogOptions(table_));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->ReadHead()->seq, 2u);
}

TEST_F(DynamoLogStoreTest, ATableWithOtherKeysIsRefusedNamingThem) {
  strata::testing::MustCall(
      moto_, "CreateTable",
      json::parse(fmt::format(R"({{"TableName": "{}", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{{"AttributeName": "pk", "AttributeType": "S"}},
                                 {{"AttributeName": "seq", "AttributeType": "S"}}],
        "KeySchema": [{{"AttributeName": "pk", "KeyType": "HASH"}},
                      {{"AttributeName": "seq", "KeyType": "RANGE"}}]}})",
                              table_)));
  auto store = strata::testing::TryOpenLog(proxy_.url(), LogOptions(table_));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(fmt::format(
                "table {} has the keys pk (HASH, S), seq (RANGE, S); a strata log needs "
                "partition key log (S) and sort key seq (N)",
                table_)),
            std::string::npos)
      << store.status().message();
}

TEST_F(DynamoLogStoreTest, ReadsPageThroughManyAndBigItems) {
  // 12 commits of ~200 KB: about 2.4 MB, so moto's Query answers in 1 MB pages.
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  const auto big = AppendChain(*store, 12, [](uint64_t seq, const Hash& prev) {
    return BigEntry(seq, prev, 200 * 1024, static_cast<char>('a' + seq));
  });
  auto fresh = OpenLog(proxy_.url(), LogOptions(table_));
  auto all = fresh->Read(1, 1000);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 12u);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, i + 1);
    EXPECT_EQ((*all)[i].payload, big[i]);
  }
  auto middle = fresh->Read(5, 6);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 6u);
  EXPECT_EQ(middle->back().seq, 10u);

  // Many small items, 3 to a page.
  auto options = LogOptions(table_, "many");
  options.query_page_items = 3;
  auto many = OpenLog(proxy_.url(), options);
  const auto small = AppendChain(*many, 40);
  auto read = many->Read(1, 1000);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 40u);
  EXPECT_EQ(read->back().payload, small.back());
  auto ten = many->Read(20, 10);
  ASSERT_TRUE(ten.ok());
  ASSERT_EQ(ten->size(), 10u);
  EXPECT_EQ(ten->front().seq, 20u);
  Status s = ScanStore(*many, Head{}, 7, [](const LogEntry&, const pb::Commit&) {
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(DynamoLogStoreTest, APayloadTooBigForOneItemIsStoredInContentAddressedParts) {
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  const auto bytes = AppendChain(*store, 3, [](uint64_t seq, const Hash& prev) {
    return seq == 2 ? BigEntry(seq, prev, 1'000'000, 'x') : EntryBytes(seq, prev, "small");
  });
  ASSERT_GT(bytes[1].size(), 3 * kLogPartBytes);
  const std::string sha = HashHex(Sha256(bytes[1]));
  // The commit item names the parts; the parts hold the bytes.
  const auto items = Items("test");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_FALSE(items[1].contains("payload"));
  EXPECT_EQ(items[1]["parts"]["N"], "4");
  EXPECT_EQ(items[1]["size"]["N"], std::to_string(bytes[1].size()));
  EXPECT_EQ(Items("test#blob#" + sha).size(), 4u);
  // Read back exactly, from a fresh store; the chain goes on after it.
  auto fresh = OpenLog(proxy_.url(), LogOptions(table_));
  auto all = fresh->Read(1, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].payload, bytes[1]);
  EXPECT_EQ((*all)[1].hash, Sha256(bytes[1]));
  EXPECT_EQ(fresh->ReadHead()->hash, Sha256(bytes[2]));
  // A damaged part is found, naming the commit and the part.
  strata::testing::MustCall(
      moto_, "PutItem",
      {{"TableName", table_},
       {"Item", {{"log", {{"S", "test#blob#" + sha}}}, {"seq", {{"N", "3"}}},
                 {"data", {{"B", "AAAA"}}}}}});
  auto damaged = fresh->Read(1, 10);
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), Code::kCorruption);
  EXPECT_NE(damaged.status().message().find("commit 2: found 4 of its 4 parts (737921 of "),
            std::string::npos)
      << damaged.status().message();
}

Result<std::optional<StoredCommit>> RecordDeployment(record::Recorder& recorder) {
  return recorder.Record([](const record::HeadState&) {
    pb::Deployment d;
    d.set_target("prod");
    d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    return Result<std::optional<record::Draft>>(std::optional<record::Draft>(
        record::Draft::Deploy("app", pb::ENGINE_DYNAMODB, d, "deployed")));
  });
}

// The proxy forwards the PutItem, moto stores the item, the reply never comes back; the SDK's
// retry then meets its own item as a failed condition. The recorder finds its commit and
// reports success, once.
TEST_F(DynamoLogStoreTest, AReplyLostAfterThePutItemIsRecordedOnce) {
  std::shared_ptr<LogStore> store = OpenLog(proxy_.url(), LogOptions(table_));
  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(store));
  ASSERT_TRUE(recorder.ok()) << recorder.status().ToString();
  ASSERT_TRUE(RecordDeployment(**recorder).ok());
  proxy_.Operations({{"faults", {{"PutItem", {"lose-reply"}}}}});
  auto made = RecordDeployment(**recorder);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_TRUE(made->has_value());
  EXPECT_EQ((*made)->commit.seq(), 2u);
  EXPECT_EQ(proxy_.Operations()["served"]["PutItem"], 1);
  const auto items = Items("test");
  ASSERT_EQ(items.size(), 2u);  // recorded once
  auto entries = store->Read(1, 10);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->back().hash, (*made)->hash);
}

TEST_F(DynamoLogStoreTest, ThrottlingAndServerErrorsAreRetried) {
  std::shared_ptr<LogStore> store = OpenLog(proxy_.url(), LogOptions(table_));
  proxy_.Operations({{"faults", {{"PutItem", {"throttle", "500"}}, {"Query", {"503"}}}}});
  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(store));
  ASSERT_TRUE(recorder.ok()) << recorder.status().ToString();
  auto made = RecordDeployment(**recorder);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(proxy_.Operations()["served"]["PutItem"], 2);
  EXPECT_EQ(proxy_.Operations()["served"]["Query"], 1);
  EXPECT_EQ(Items("test").size(), 1u);
}

// An operator deletes entry 2 (a DeleteItem this store never makes): readers name the missing
// commit, and a writer refuses rather than build on a log with a hole.
TEST_F(DynamoLogStoreTest, ARemovedEntryIsReportedAndWritersRefuse) {
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  AppendChain(*store, 3);
  strata::testing::MustCall(moto_, "DeleteItem",
                            {{"TableName", table_},
                             {"Key", {{"log", {{"S", "test"}}}, {"seq", {{"N", "2"}}}}}});
  std::shared_ptr<LogStore> fresh = OpenLog(proxy_.url(), LogOptions(table_));
  auto read = fresh->Read(1, 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kCorruption);
  EXPECT_NE(read.status().message().find("commit 2 is missing (the next entry is 3)"),
            std::string::npos)
      << read.status().message();
  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(fresh));
  Status refused = recorder.ok() ? RecordDeployment(**recorder).status() : recorder.status();
  EXPECT_EQ(refused.code(), Code::kCorruption) << refused.ToString();
  EXPECT_NE(refused.message().find("commit 2 is missing"), std::string::npos)
      << refused.message();
  EXPECT_EQ(Items("test").size(), 2u);  // nothing written, nothing re-created
  // Nor does the store fill the hole: entry 2 must follow entry 1 and be the next head.
  auto head = fresh->ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3u);
}

TEST_F(DynamoLogStoreTest, TheProbeRefusesAServerThatIgnoresConditions) {
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  Status ok = store->ProbeConditionalWrites();
  EXPECT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_EQ(Items("test#probe").size(), 1u);
  EXPECT_EQ(Items("test").size(), 0u);  // the log's own partition is untouched

  proxy_.Operations({{"ignore_conditions", true}});
  Status refused = store->ProbeConditionalWrites();
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition) << refused.ToString();
  EXPECT_NE(refused.message().find("it ignores ConditionExpression, and a shared log there "
                                   "would fork"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(proxy_.Operations()["served"]["PutItem"], 2);
}

// A server without ReturnValuesOnConditionCheckFailure (it came in 2023) refuses the parameter:
// the store asks again without it, and from then on never sends it.
TEST_F(DynamoLogStoreTest, AServerWithoutReturnValuesOnConditionCheckFailureStillWorks) {
  auto store = OpenLog(proxy_.url(), LogOptions(table_));
  proxy_.Operations(
      {{"faults", {{"PutItem", {"validation-return-values"}}}}});
  const auto bytes = AppendChain(*store, 1);
  auto again = store->Append(1, EntryBytes(1, Hash{}, "rival"));
  EXPECT_EQ(again.status().code(), Code::kConflict) << again.status().ToString();
  EXPECT_EQ(again.status().message().find("sha256"), std::string::npos)
      << again.status().message();  // no item came back with the refusal
  EXPECT_EQ(proxy_.Operations()["served"]["PutItem"], 1);
  // With the parameter, the refusal says whose the entry is.
  auto other = OpenLog(proxy_.url(), LogOptions(table_));
  auto mine = other->Append(1, bytes[0]);
  EXPECT_EQ(mine.status().code(), Code::kConflict);
  EXPECT_NE(mine.status().message().find("with these very bytes"), std::string::npos)
      << mine.status().message();
}

// strata.yaml naming the store: verify reads it, and names a missing commit.
TEST_F(DynamoLogStoreTest, VerifyReadsTheDynamoDbLogAndFindsARemovedEntry) {
  strata::testing::TempDir work;
  std::ofstream(work / "strata.yaml")
      << "version: 1\nlog: " << strata::testing::LogUrl(table_, "cli", proxy_.url()) << "\n";
  auto run = [&](std::vector<std::string> args) {
    return strata::testing::RunStrata(args, strata::testing::StrataAwsEnvironment(),
                                      work.path());
  };
  auto empty = run({"verify"});
  ASSERT_EQ(empty.code, 0) << empty;
  EXPECT_NE(empty.out.find("ok: 0 commits"), std::string::npos) << empty;

  auto store = OpenLog(proxy_.url(), LogOptions(table_, "cli"));
  const auto bytes = AppendChain(*store, 3);
  auto three = run({"--json", "verify"});
  ASSERT_EQ(three.code, 0) << three;
  const auto j = three.Json();
  EXPECT_EQ(j["commits"], 3);
  EXPECT_EQ(j["head_hash"], HashHex(Sha256(bytes[2])));
  EXPECT_EQ(j["ok"], true);

  strata::testing::MustCall(moto_, "DeleteItem",
                            {{"TableName", table_},
                             {"Key", {{"log", {{"S", "cli"}}}, {"seq", {{"N", "2"}}}}}});
  auto broken = run({"verify"});
  EXPECT_EQ(broken.code, 1) << broken;
  EXPECT_NE(broken.out.find("FAILED at seq 2: DynamoDB log cli (table " + table_),
            std::string::npos)
      << broken;
  EXPECT_NE(broken.out.find("commit 2 is missing (the next entry is 3)"), std::string::npos)
      << broken;
}

TEST_F(DynamoLogStoreTest, ABadUrlInStrataYamlIsNamedWithTheLine) {
  strata::testing::TempDir work;
  std::ofstream(work / "strata.yaml") << "version: 1\nlog: dynamodb://x?log=a%23b\n";
  auto r = strata::testing::RunStrata({"verify"}, strata::testing::StrataAwsEnvironment(),
                                      work.path());
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("strata.yaml:2: opening the shared log: log dynamodb://x?log=a%23b: \"x\" "
                       "is not a DynamoDB table name"),
            std::string::npos)
      << r;
}

}  // namespace
}  // namespace strata::dynamodb
