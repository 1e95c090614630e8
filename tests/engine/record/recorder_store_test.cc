// The writer protocol over a store (docs/team-log.md): a lost reply is recognised as the
// writer's own commit and recorded once; an unknown outcome is said as such, never as a failure
// or a second write; facts are rebased on whatever won; intents are stopped when a commit in
// between touched their objects and rebased otherwise. The store is the in-memory fake with
// scripted faults (tests/engine/store/fake_log_store.h).
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "engine/diff/diff.h"
#include "engine/record/recorder.h"
#include "engine/state/apply.h"
#include "engine/store/local_log_store.h"
#include "tests/engine/store/fake_log_store.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/engine/testing/test_signer.h"

namespace strata::record {
namespace {

using testing::FakeLog;
using testing::FakeLogStore;

constexpr int64_t kT0 = 1'772'000'000'000'000;

class RecorderStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Recorder> Open(std::shared_ptr<LogStore> store, const std::string& who, uint64_t seed,
                                 RecorderOptions o = {}) {
    o.store = store;
    o.actor.set_name(who);
    o.now_micros = [this] { return now_; };
    o.steady_ms = [] { return int64_t{0}; };
    o.sleep_ms = [this](int64_t ms) { slept_ms_ += ms; };
    o.random = [seed]() mutable { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
    o.note = [this](const std::string& line) { notes_.push_back(line); };
    auto r = Recorder::Open(std::move(o));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(*r);
  }

  // A fact: a tag naming the head, or on an empty log (where a tag has nothing to name) a
  // deployment record of target `name`.
  static Recorder::Maker Tag(const std::string& name) {
    return [name](const HeadState& at) -> Result<std::optional<Draft>> {
      if (at.head.seq == 0) {
        pb::Deployment d;
        d.set_target(name);
        d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
        return std::optional<Draft>(Draft::Deploy("ddb", pb::ENGINE_DYNAMODB, d, name));
      }
      return std::optional<Draft>(Draft::Tag(name, at.head.seq, false, name));
    };
  }
  // What generate does: diff the desired tables against the recorded ones.
  static Recorder::Maker GenerateTo(std::vector<std::string> tables) {
    return [tables](const HeadState& at) -> Result<std::optional<Draft>> {
      pb::SchemaState desired, recorded;
      if (auto it = at.state->schemas().find("ddb"); it != at.state->schemas().end()) {
        recorded = it->second;
      }
      for (const auto& t : tables) {
        STRATA_RETURN_IF_ERROR(Apply(testing::CreateTableEvent(t), &desired));
      }
      STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, Diff(recorded, desired));
      if (events.empty()) return std::optional<Draft>();
      return std::optional<Draft>(
          Draft::Generate("ddb", pb::ENGINE_DYNAMODB, std::move(events), "generate"));
    };
  }
  std::vector<pb::Commit> Commits() const {
    std::vector<pb::Commit> out;
    Head prev;
    for (const LogEntry& e : log_->entries) {
      pb::Commit c;
      EXPECT_TRUE(c.ParseFromString(e.payload));
      EXPECT_EQ(c.seq(), prev.seq + 1);
      EXPECT_EQ(c.prev_hash(), std::string(HashBytes(prev.hash)));
      prev = Head{e.seq, e.hash, std::nullopt};
      out.push_back(c);
    }
    return out;
  }
  // Another writer appends `make`'s commit (as a separate process would).
  void OtherWriterRecords(const Recorder::Maker& make, const std::string& who = "bob") {
    auto other = Open(std::make_shared<FakeLogStore>(log_), who, 99);
    auto r = other->Record(make);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  std::shared_ptr<FakeLog> log_ = std::make_shared<FakeLog>();
  std::shared_ptr<FakeLogStore> store_ = std::make_shared<FakeLogStore>(log_);
  int64_t now_ = kT0;
  int64_t slept_ms_ = 0;
  std::vector<std::string> notes_;
};

TEST_F(RecorderStoreTest, EachRecordingOnASharedStoreCarriesItsOwnNonce) {
  auto a = Open(store_, "alice", 1);
  auto b = Open(store_, "alice", 2);
  ASSERT_TRUE(a->Record(Tag("v1")).ok());
  ASSERT_TRUE(a->Record(Tag("v2")).ok());
  ASSERT_TRUE(b->Record(Tag("v3")).ok());
  const auto commits = Commits();
  ASSERT_EQ(commits.size(), 3u);
  std::set<std::string> nonces;
  for (const auto& c : commits) {
    EXPECT_EQ(c.writer_nonce().size(), 16u);
    nonces.insert(c.writer_nonce());
  }
  EXPECT_EQ(nonces.size(), 3u);
  // The log directory's commits carry none (their bytes stay what they always were).
  auto l = Open(std::make_shared<FakeLogStore>(std::make_shared<FakeLog>(), /*shared=*/false),
                "alice", 3);
  auto r = l->Record(Tag("v1"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)->commit.writer_nonce().empty());
}

TEST_F(RecorderStoreTest, AReplyLostAfterTheWriteIsRecognisedAndRecordedOnce) {
  auto a = Open(store_, "alice", 1);
  log_->lose_replies = 1;
  auto r = a->Record(Tag("v1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  ASSERT_EQ(log_->entries.size(), 1u);  // written once, not again
  EXPECT_EQ(log_->appends, 1);
  EXPECT_EQ((*r)->hash, log_->entries[0].hash);
  EXPECT_EQ((*r)->commit.seq(), 1u);
  ASSERT_FALSE(notes_.empty());
  EXPECT_NE(notes_.back().find("the store's answer to commit 1 was lost, but the commit is in "
                               "the log (seq 1); recorded once"),
            std::string::npos)
      << notes_.back();
  // The recorder goes on from there.
  ASSERT_TRUE(a->Record(Tag("v2")).ok());
  EXPECT_EQ(Commits().size(), 2u);
}

// A store over the fake that lets another writer append right after each write, before the
// writer hears back: the writer's own commit is then below the head when it looks.
class OtherWriterOnTop : public FakeLogStore {
 public:
  OtherWriterOnTop(std::shared_ptr<FakeLog> log, std::function<void()> other)
      : FakeLogStore(std::move(log)), other_(std::move(other)) {}
  Result<Head> Append(uint64_t seq, std::string_view payload) override {
    auto r = FakeLogStore::Append(seq, payload);
    if (other_) std::exchange(other_, nullptr)();
    return r;
  }

 private:
  std::function<void()> other_;
};

TEST_F(RecorderStoreTest, AnOwnEntryIsFoundBelowOtherWritersCommits) {
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(Tag("seed")).ok());
  log_->lose_replies = 1;
  auto alice = Open(std::make_shared<OtherWriterOnTop>(
                        log_, [&] { OtherWriterRecords(Tag("bobs")); }),
                    "alice", 11);
  auto r = alice->Record(Tag("hers"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto commits = Commits();
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[1].tag().name(), "hers");
  EXPECT_EQ(commits[2].tag().name(), "bobs");
  EXPECT_EQ((*r)->commit.seq(), 2u);
  EXPECT_EQ((*r)->hash, log_->entries[1].hash);
}

TEST_F(RecorderStoreTest, AnUnknownOutcomeIsSaidAsSuchAndNothingIsWrittenAgain) {
  auto a = Open(store_, "alice", 1);
  log_->lose_replies = 1;
  log_->fail_reads_after_lost_reply = true;
  auto r = a->Record(Tag("v1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_NE(r.status().message().find("commit 1 may or may not be in the log: fake log did not "
                                      "answer the append"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("Run `strata verify` once the store answers"),
            std::string::npos);
  EXPECT_EQ(log_->appends, 1);  // no second try while the outcome is unknown
  EXPECT_EQ(log_->entries.size(), 1u);
}

TEST_F(RecorderStoreTest, ARequestLostBeforeTheStoreIsTriedAgainAndRecordedOnce) {
  auto a = Open(store_, "alice", 1);
  log_->lose_requests = 1;
  auto r = a->Record(Tag("v1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(log_->appends, 2);
  ASSERT_EQ(Commits().size(), 1u);
  EXPECT_EQ(Commits()[0].deployment().target(), "v1");
}

TEST_F(RecorderStoreTest, AWriteThatLandsAfterTheLookIsStillRecordedOnce) {
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(Tag("seed")).ok());
  // No answer, and the look right after finds nothing: the write lands only afterwards.
  log_->land_late = 1;
  auto r = a->Record(Tag("v1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto commits = Commits();
  ASSERT_EQ(commits.size(), 2u);  // not a second copy on top of the late one
  EXPECT_EQ(commits[1].tag().name(), "v1");
  EXPECT_EQ((*r)->commit.seq(), 2u);
  EXPECT_EQ((*r)->hash, log_->entries[1].hash);
}

TEST_F(RecorderStoreTest, AFactThatLostTheRaceIsRebasedOnTheWinner) {
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(GenerateTo({"orders"})).ok());
  log_->before_append = [&] { OtherWriterRecords(GenerateTo({"orders", "items"})); };
  // A tag is a fact: it lands on top of Bob's generate, made again against the new head.
  auto r = a->Record(Tag("release"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto commits = Commits();
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[1].actor().name(), "bob");
  EXPECT_EQ(commits[2].tag().name(), "release");
  EXPECT_EQ(commits[2].tag().target_seq(), 2u);  // made again against the new head
  EXPECT_GT(slept_ms_, 0);                       // backed off before trying again
}

TEST_F(RecorderStoreTest, AnIntentIsStoppedWhenACommitInBetweenTouchedItsObjects) {
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(GenerateTo({"orders"})).ok());
  // Alice's files still have only "orders" and add "items"; Bob drops "orders" first.
  log_->before_append = [&] { OtherWriterRecords(GenerateTo({})); };
  auto r = a->Record(GenerateTo({"orders", "items"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().message(),
            "commit 2 (generate by bob) changed ddb:orders after this change was computed "
            "against seq 1; recording it now would undo that change. Nothing was recorded: look "
            "at it (strata show --at 2 orders), bring your files up to date with it, and run "
            "the command again");
  EXPECT_EQ(Commits().size(), 2u);
}

TEST_F(RecorderStoreTest, AnIntentOnOtherObjectsIsRebasedAndAnIdenticalOneRecordsNothing) {
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(GenerateTo({"orders"})).ok());
  log_->before_append = [&] { OtherWriterRecords(GenerateTo({"orders", "items"})); };
  auto r = a->Record(GenerateTo({"orders", "items", "users"}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto commits = Commits();
  ASSERT_EQ(commits.size(), 3u);
  ASSERT_EQ(commits[2].events_size(), 1);  // only "users": "items" is Bob's already
  EXPECT_EQ(commits[2].actor().name(), "alice");

  // The same change recorded by someone else first: nothing left to record.
  log_->before_append = [&] { OtherWriterRecords(GenerateTo({"orders", "items", "users", "x"})); };
  auto same = a->Record(GenerateTo({"orders", "items", "users", "x"}));
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_FALSE(same->has_value());
  EXPECT_EQ(Commits().size(), 4u);
}

TEST_F(RecorderStoreTest, StateFromAMirrorBehindTheStoreIsMovedForwardBeforeEachAttempt) {
  // A shared log's checkout reads state from its local mirror (a log directory with its index),
  // pulled before the command; other writers append after that pull, and again while it writes.
  auto a = Open(store_, "alice", 1);
  ASSERT_TRUE(a->Record(GenerateTo({"orders"})).ok());
  strata::testing::TempDir tmp;
  auto env = NewPosixEnv();
  LocalLogStoreOptions mo;
  mo.env = env.get();
  mo.dir = tmp / "mirror";
  auto mirror = LocalLogStore::Open(std::move(mo));
  ASSERT_TRUE(mirror.ok()) << mirror.status().ToString();
  ASSERT_TRUE((*mirror)->Append(1, log_->entries[0].payload).ok());
  OtherWriterRecords(Tag("bob-1"));
  OtherWriterRecords(Tag("bob-2"));
  RecorderOptions o;
  o.env = env.get();
  o.log_dir = tmp / "mirror";
  o.index_path = tmp / "mirror/index.sqlite";
  o.max_rebases = 3;
  auto c = Open(store_, "carol", 3, std::move(o));
  log_->before_append = [&] { OtherWriterRecords(Tag("bob-3")); };
  auto r = c->Record(Tag("release"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto commits = Commits();
  ASSERT_EQ(commits.size(), 5u);
  EXPECT_EQ(commits[4].tag().name(), "release");
  EXPECT_EQ(commits[4].tag().target_seq(), 4u);  // the head it was made against: the store's
}

// A signed commit: the signature is over the bytes as appended without it, and a rebase (new seq
// and prev_hash) is signed again, so what lands verifies.
TEST_F(RecorderStoreTest, ASignerSignsEveryAttemptAndTheStoredCommitVerifies) {
  auto signer = std::make_shared<testing::TestSigner>();
  RecorderOptions o;
  o.signer = signer;
  auto a = Open(store_, "alice", 1, o);
  ASSERT_TRUE(a->Record(GenerateTo({"orders"})).ok());
  log_->before_append = [&] { OtherWriterRecords(Tag("bob's")); };
  auto r = a->Record(Tag("release"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->commit.has_signature());
  // First commit, then the tag twice: against seq 1, and again against Bob's seq 2.
  ASSERT_EQ(signer->messages.size(), 3u);
  EXPECT_NE(signer->messages[1], signer->messages[2]);
  auto allowed = sign::ParseAllowedSigners("alice " + signer->PublicLine() + "\n", "a");
  ASSERT_TRUE(allowed.ok());
  ASSERT_EQ(log_->entries.size(), 3u);
  std::vector<std::string> seen;
  for (const LogEntry& e : log_->entries) {
    pb::Commit c;
    ASSERT_TRUE(c.ParseFromString(e.payload));
    seen.push_back(std::string(sign::StatusName(
        sign::CheckCommitSignature(e.payload, c.time_unix_micros(), {&*allowed, nullptr}).status)));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"signed", "unsigned", "signed"}));
  auto split = sign::SplitSignature(log_->entries[2].payload);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(sign::SignedMessage(split->unsigned_bytes), signer->messages[2]);
}

TEST_F(RecorderStoreTest, ASignerThatCannotSignRecordsNothing) {
  auto signer = std::make_shared<testing::TestSigner>();
  signer->refusal = Status::FailedPrecondition("no key");
  RecorderOptions o;
  o.signer = signer;
  auto a = Open(store_, "alice", 1, o);
  auto r = a->Record(GenerateTo({"orders"}));
  EXPECT_EQ(r.status().ToString(), "FAILED_PRECONDITION: no key");
  EXPECT_TRUE(log_->entries.empty());
  // The cached state did not keep the refused draft: once the signer works, it is recorded.
  signer->refusal = Status::Ok();
  auto again = a->Record(GenerateTo({"orders"}));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->has_value());
}

TEST_F(RecorderStoreTest, ASignatureInAnotherNamespaceIsRefusedBeforeWriting) {
  auto signer = std::make_shared<testing::TestSigner>();
  signer->name_space = "git";
  RecorderOptions o;
  o.signer = signer;
  auto a = Open(store_, "alice", 1, o);
  EXPECT_EQ(a->Record(GenerateTo({"orders"})).status().ToString(),
            "FAILED_PRECONDITION: the signer returned an unusable signature (the signature is for "
            "namespace \"git\", not \"strata\"); nothing was recorded");
  EXPECT_TRUE(log_->entries.empty());
}

}  // namespace
}  // namespace strata::record
