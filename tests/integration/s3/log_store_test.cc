// The S3 log store on moto (signatures checked) behind the fault proxy: the conformance list
// every store passes (through --serialize), what the proxy's faults do to an append (a lost
// reply, throttling and 503, 409 ConditionalRequestConflict), a store that ignores
// If-None-Match, an entry deleted behind strata's back, and `strata verify` on a project whose
// strata.yaml names the store.
#include "adapters/aws/s3_log_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "engine/record/recorder.h"
#include "integration/s3/s3_log_fixture.h"
#include "tests/engine/store/log_store_conformance.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::aws {
namespace {

using strata::testing::EntryBytes;
using strata::testing::LogStoreConformance;
using strata::testing::S3LogPlace;

class S3Fixture : public strata::testing::LogStoreFixture {
 public:
  std::unique_ptr<LogStore> Open() override { return place_.Open(); }

 private:
  S3LogPlace place_;
};

INSTANTIATE_TEST_SUITE_P(S3, LogStoreConformance,
                         ::testing::Values(strata::testing::LogStoreCase{
                             "S3", [] { return std::make_unique<S3Fixture>(); }}),
                         strata::testing::LogStoreCaseName);

// Appends n chained entries through `store`; returns the head.
Head AppendChain(LogStore& store, int n) {
  auto read = store.ReadHead();
  EXPECT_TRUE(read.ok()) << read.status().ToString();
  Head at = read.ok() ? *read : Head{};
  for (int i = 0; i < n; ++i) {
    const std::string bytes = EntryBytes(at.seq + 1, at.hash, "t" + std::to_string(i));
    auto r = store.Append(at.seq + 1, bytes);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    at = Head{at.seq + 1, Sha256(bytes), std::nullopt};
  }
  return at;
}

Result<std::optional<StoredCommit>> RecordDeployment(record::Recorder& recorder,
                                                    const std::string& target) {
  return recorder.Record([&](const record::HeadState&) {
    pb::Deployment d;
    d.set_target(target);
    d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    return Result<std::optional<record::Draft>>(std::optional<record::Draft>(
        record::Draft::Deploy("app", pb::ENGINE_POSTGRES, d, "deployed")));
  });
}

TEST(S3LogStoreTest, EntriesAreObjectsNamedByTwentyDigitSeqsHoldingTheBytesAndTheirHash) {
  S3LogPlace place;
  auto store = place.Open();
  const std::string bytes = EntryBytes(1, Hash{}, "one");
  ASSERT_TRUE(store->Append(1, bytes).ok());
  EXPECT_EQ(place.Keys("log/"),
            std::vector<std::string>{"team/prod/log/00000000000000000001.commit"});
  auto object = place.Client()->GetObject("team/prod/log/00000000000000000001.commit");
  ASSERT_TRUE(object.ok()) << object.status().ToString();
  EXPECT_EQ(object->body, bytes);
  EXPECT_EQ(FindHeader(object->headers, "x-amz-meta-strata-sha256"), HashHex(Sha256(bytes)));
  EXPECT_NE(store->Describe().find("S3 log s3://" + place.bucket() + "/team/prod (endpoint " +
                                   place.proxy_url() + ")"),
            std::string::npos)
      << store->Describe();
}

TEST(S3LogStoreTest, MoreThanOnePageOfKeysIsListedAndReadToTheHead) {
  S3LogPlace place;
  auto writer = place.Open();
  const Head head = AppendChain(*writer, 1003);
  auto fresh = place.Open();
  auto read = fresh->ReadHead();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->seq, 1003u);
  EXPECT_EQ(read->hash, head.hash);
  auto tail = fresh->Read(999, 10);
  ASSERT_TRUE(tail.ok()) << tail.status().ToString();
  ASSERT_EQ(tail->size(), 5u);
  EXPECT_EQ(tail->front().seq, 999u);
  EXPECT_EQ(tail->back().hash, head.hash);
}

// The proxy forwards the PUT, moto stores it, and the connection closes unanswered. The
// transport retries; the retry is refused (412) because the first attempt created the object.
// The store says Conflict, honestly; the Recorder looks and finds its own commit.
TEST(S3LogStoreTest, ALostReplyIsAConflictForTheStoreAndOneSuccessForTheRecorder) {
  S3LogPlace place;
  auto store = place.Open();
  place.Faults("lose-reply@PUT");
  const std::string bytes = EntryBytes(1, Hash{}, "mine");
  auto r = store->Append(1, bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict) << r.status().ToString();
  auto entries = place.Open()->Read(1, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].payload, bytes);  // the "conflict" was our own write

  S3LogPlace other;
  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(other.Open()));
  ASSERT_TRUE(recorder.ok()) << recorder.status().ToString();
  other.Faults("lose-reply@PUT");
  auto made = RecordDeployment(**recorder, "prod");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ((*made)->commit.seq(), 1u);
  EXPECT_EQ(other.Stats()["faults"], 1);
  auto next = RecordDeployment(**recorder, "staging");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ((*next)->commit.seq(), 2u);
  EXPECT_EQ(other.Keys("log/").size(), 2u);  // recorded once each
}

TEST(S3LogStoreTest, ThrottlingAnd503AreRetriedAndTheEntryWrittenOnce) {
  S3LogPlace place;
  auto store = place.Open();
  place.Faults("slowdown@PUT,503@PUT");
  auto r = store->Append(1, EntryBytes(1, Hash{}, "t"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(place.Stats()["faults"], 2);
  EXPECT_EQ(place.Keys("log/").size(), 1u);
  place.Faults("503@GET,slowdown@GET");  // the listing and the read of the head
  auto head = place.Open()->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->seq, 1u);
}

TEST(S3LogStoreTest, ConditionalRequestConflictIsRetriedAtTheSameSeq) {
  S3LogPlace place;
  auto store = place.Open();
  const Head one = AppendChain(*store, 1);
  place.Faults("conditional-conflict@PUT,conditional-conflict@PUT");
  const std::string bytes = EntryBytes(2, one.hash, "two");
  auto r = store->Append(2, bytes);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->seq, 2u);
  EXPECT_EQ(place.Stats()["faults"], 2);
  auto entries = place.Open()->Read(1, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].payload, bytes);

  // 409 on every attempt: the outcome is reported unknown (nothing was written here).
  place.Faults(
      "conditional-conflict@PUT,conditional-conflict@PUT,conditional-conflict@PUT,"
      "conditional-conflict@PUT,conditional-conflict@PUT");
  auto busy = store->Append(3, EntryBytes(3, Sha256(bytes), "three"));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), Code::kUnavailable) << busy.status().ToString();
  EXPECT_NE(busy.status().message().find("ConditionalRequestConflict"), std::string::npos);
  EXPECT_EQ(place.Keys("log/").size(), 2u);
}

TEST(S3LogStoreTest, TheProbePassesOnAStoreThatRefusesASecondCreateAndLeavesNothing) {
  S3LogPlace place;
  auto store = place.Open();
  Status s = store->ProbeConditionalWrites();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(place.Keys("probe/").empty());
  EXPECT_TRUE(place.Keys("log/").empty());
}

TEST(S3LogStoreTest, TheProbeRefusesAStoreThatIgnoresIfNoneMatch) {
  S3LogPlace place({"--serialize", "--s3-ignore-if-none-match"});
  auto store = place.Open();
  Status s = store->ProbeConditionalWrites();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find(store->Describe() +
                             ": this S3 endpoint ignores If-None-Match; a log on it would fork"),
            std::string::npos)
      << s.ToString();
  EXPECT_NE(s.message().find("Keep the log on a store that refuses it with 412"),
            std::string::npos)
      << s.ToString();
  EXPECT_TRUE(place.Keys("log/").empty());
}

// An operator deletes entry 2 of 3. Readers name the missing commit; a writer refuses, and
// nothing puts a new commit 2 in its place.
TEST(S3LogStoreTest, ADeletedEntryIsReportedByReadersAndRefusedByWriters) {
  S3LogPlace place;
  AppendChain(*place.Open(), 3);
  ASSERT_TRUE(place.Client()->DeleteObject("team/prod/log/00000000000000000002.commit").ok());
  auto store = place.Open();
  auto head = store->ReadHead();
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_NE(head.status().message().find("commit 2 is missing (the next entry is 3)"),
            std::string::npos)
      << head.status().ToString();
  auto read = store->Read(1, 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kCorruption);

  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(place.Open()));
  if (recorder.ok()) {
    auto made = RecordDeployment(**recorder, "prod");
    EXPECT_FALSE(made.ok());
    if (!made.ok()) {
      EXPECT_EQ(made.status().code(), Code::kCorruption) << made.status().ToString();
    }
  } else {
    EXPECT_EQ(recorder.status().code(), Code::kCorruption) << recorder.status().ToString();
  }
  // A writer that had seen only commit 1 lists past it, finds the gap and refuses too.
  auto stale = place.Open();
  ASSERT_TRUE(stale->Read(1, 1).ok());
  EXPECT_EQ(stale->ReadHead().status().code(), Code::kCorruption);
  // The keys are as the operator left them.
  EXPECT_EQ(place.Keys("log/"),
            (std::vector<std::string>{"team/prod/log/00000000000000000001.commit",
                                      "team/prod/log/00000000000000000003.commit"}));
}

class S3CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(work_ / "strata.yaml") << "version: 1\nlog: " << place_.Url() << "\n";
  }
  strata::testing::StrataRun Strata(std::vector<std::string> args) {
    return strata::testing::RunStrata(args, place_.Environment(), work_.path());
  }
  S3LogPlace place_;
  strata::testing::TempDir work_;
};

TEST_F(S3CliTest, VerifyReadsTheS3LogAndNamesAMissingCommit) {
  auto empty = Strata({"verify"});
  ASSERT_EQ(empty.code, 0) << empty;
  EXPECT_NE(empty.out.find("ok: 0 commits"), std::string::npos) << empty;

  const Head head = AppendChain(*place_.Open(), 3);
  auto three = Strata({"--json", "verify"});
  ASSERT_EQ(three.code, 0) << three;
  const auto j = three.Json();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["commits"], 3);
  EXPECT_EQ(j["head_seq"], 3);
  EXPECT_EQ(j["head_hash"], HashHex(head.hash));

  ASSERT_TRUE(place_.Client()->DeleteObject("team/prod/log/00000000000000000002.commit").ok());
  auto broken = Strata({"verify"});
  EXPECT_EQ(broken.code, 1) << broken;
  EXPECT_NE((broken.out + broken.err).find("commit 2 is missing (the next entry is 3)"),
            std::string::npos)
      << broken;
  EXPECT_NE((broken.out + broken.err).find("S3 log s3://" + place_.bucket() + "/team/prod"),
            std::string::npos)
      << broken;
}

TEST_F(S3CliTest, ABadS3UrlIsNamedWithTheLine) {
  std::ofstream(work_ / "strata.yaml") << "version: 1\nlog: s3://Bad_Bucket/x\n";
  auto r = Strata({"verify"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("strata.yaml:2: opening the shared log: log s3://Bad_Bucket/x: "
                       "'Bad_Bucket' is not an S3 bucket name"),
            std::string::npos)
      << r;
}

}  // namespace
}  // namespace strata::aws
