// The recording path: a commit is written only against the head it was computed against, only
// when it replays, with times that never go backwards, and with one writer at a time. Each
// test checks the log on disk afterwards (it replays; refused drafts left it byte-identical).
#include "engine/record/recorder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "engine/diff/diff.h"
#include "engine/log/fault_injection_env.h"
#include "engine/state/apply.h"
#include "tests/engine/testing/dir_files.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::record {
namespace {

using strata::testing::DirFiles;

constexpr int64_t kT0 = 1'772'000'000'000'000;  // 2026-02-25, in microseconds

pb::Event CreateTable(const std::string& name) { return testing::CreateTableEvent(name); }

pb::Event DropTable(const std::string& name) { return testing::DropTableEvent(name); }

Draft Create(const std::string& name) {
  return Draft::Generate("ddb", pb::ENGINE_DYNAMODB, {CreateTable(name)}, "create " + name);
}

Draft Deploy(const std::string& target, uint64_t to_seq) {
  pb::Deployment d;
  d.set_target(target);
  d.set_to_seq(to_seq);
  d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
  return Draft::Deploy("ddb", pb::ENGINE_DYNAMODB, d, "deploy to " + target);
}

pb::SchemaState Recorded(const HeadState& at) {
  auto it = at.state->schemas().find("ddb");
  return it == at.state->schemas().end() ? pb::SchemaState() : it->second;
}

bool HasTable(const HeadState& at, const std::string& name) {
  return Recorded(at).dynamodb().tables().count(name) > 0;
}

// What `strata generate` does: whatever makes the recorded schema equal the desired one.
Recorder::Maker GenerateTo(const std::vector<std::string>& tables, int* calls = nullptr) {
  return [tables, calls](const HeadState& at) -> Result<std::optional<Draft>> {
    if (calls) ++*calls;
    pb::SchemaState desired;
    for (const auto& t : tables) STRATA_RETURN_IF_ERROR(Apply(CreateTable(t), &desired));
    STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, Diff(Recorded(at), desired));
    if (events.empty()) return std::optional<Draft>();
    return std::optional<Draft>(
        Draft::Generate("ddb", pb::ENGINE_DYNAMODB, std::move(events), "generate"));
  };
}

// A clock that only moves when told to, and a sleep that moves it.
struct FakeClock {
  std::atomic<int64_t> now{kT0};
  std::atomic<int64_t> steady{0};
};

// Every commit of the log, after checking that it replays from the start, that seqs are
// dense and that times never go backwards.
std::vector<pb::Commit> ReplayedLog(Env* env, const std::string& dir) {
  std::vector<pb::Commit> out;
  auto reader = CommitReader::Open(env, dir);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  pb::State state;
  Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) -> Status {
    STRATA_RETURN_IF_ERROR(ApplyCommit(c.commit, &state, OnFailure::kDiscard));
    if (!out.empty()) {
      EXPECT_GE(c.commit.time_unix_micros(), out.back().time_unix_micros())
          << "seq " << c.commit.seq();
    }
    out.push_back(c.commit);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

class RecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    log_ = tmp_ / ".strata";
    index_ = tmp_ / "index.sqlite";
  }

  RecorderOptions Options(FakeClock* clock, Env* env = nullptr) {
    RecorderOptions o;
    o.env = env ? env : env_.get();
    o.log_dir = log_;
    o.index_path = index_;
    o.actor.set_name("alice");
    o.actor.set_email("alice@example.com");
    o.actor.set_host("laptop");
    o.now_micros = [clock] { return clock->now.load(); };
    o.steady_ms = [clock] { return clock->steady.load(); };
    o.sleep_ms = [clock](int64_t ms) { clock->steady += ms; };
    o.random = [] { return uint64_t{7}; };
    o.note = [this](const std::string& line) {
      std::lock_guard l(notes_mu_);
      notes_.push_back(line);
    };
    return o;
  }

  // Real waiting, for tests where another thread must get to run.
  static RecorderOptions RealTime(RecorderOptions o) {
    using Clock = std::chrono::steady_clock;
    o.steady_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 Clock::now().time_since_epoch())
          .count();
    };
    o.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
    return o;
  }

  std::unique_ptr<Recorder> Open(RecorderOptions o) {
    auto r = Recorder::Open(std::move(o));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  std::unique_ptr<Env> env_;
  strata::testing::TempDir tmp_;
  std::string log_, index_;
  FakeClock clock_;
  std::mutex notes_mu_;
  std::vector<std::string> notes_;
};

TEST_F(RecorderTest, AppendStampsTheCommitAndReadSeesItsState) {
  auto rec = Open(Options(&clock_));
  ASSERT_TRUE(rec);
  auto at = rec->Read();
  ASSERT_TRUE(at.ok()) << at.status().ToString();
  EXPECT_EQ(at->head.seq, 0u);
  EXPECT_EQ(at->time_unix_micros, 0);
  Draft d = Create("orders");
  d.set_cloud_principal("arn:aws:iam::123456789012:user/alice");
  auto stored = rec->Append(at->head, std::move(d));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  const pb::Commit& c = stored->commit;
  EXPECT_EQ(c.seq(), 1u);
  EXPECT_EQ(c.prev_hash(), std::string(32, '\0'));
  EXPECT_EQ(c.time_unix_micros(), kT0);
  EXPECT_EQ(c.actor().name(), "alice");
  EXPECT_EQ(c.actor().email(), "alice@example.com");
  EXPECT_EQ(c.actor().host(), "laptop");
  EXPECT_EQ(c.actor().cloud_principal(), "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(c.origin(), pb::ORIGIN_GENERATE);

  at = rec->Read();
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->head.seq, 1u);
  EXPECT_EQ(at->head.hash, stored->hash);
  EXPECT_EQ(at->time_unix_micros, kT0);
  EXPECT_TRUE(HasTable(*at, "orders"));
  EXPECT_EQ(at->state->seq(), 1u);

  // A second recorder reads the same through the index.
  auto other = Open(Options(&clock_));
  auto seen = other->Read();
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->head.hash, stored->hash);
  EXPECT_EQ(seen->time_unix_micros, kT0);
  EXPECT_TRUE(HasTable(*seen, "orders"));
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 1u);
  EXPECT_TRUE(notes_.empty());
}

// The measured bug: a change computed against a head read before another writer appended was
// recorded anyway (commit 4 created tbl3 a second time, and verify failed from then on).
// The acknowledgement the CLI prints ("recorded commit SEQ HASH"): once per commit Append or
// Record returns, only when the commit is already durable in the log, never for a write that
// failed or a recording with nothing to record.
TEST_F(RecorderTest, AcknowledgedOnceForEachDurableCommitAndNeverForAFailedWrite) {
  FaultInjectionEnv env(env_.get());
  std::vector<StoredCommit> acked;
  std::vector<size_t> durable_at_ack;  // commits a fresh reader sees during each call
  uint64_t unsynced_at_ack = 0;        // bytes of the log not synced yet during the calls
  auto o = Options(&clock_, &env);
  o.acknowledged = [&](const StoredCommit& c) {
    acked.push_back(c);
    durable_at_ack.push_back(ReplayedLog(env_.get(), log_).size());
    for (const auto& [name, bytes] : DirFiles(log_)) {
      unsynced_at_ack += env.unsynced_bytes(log_ + "/" + name);
    }
  };
  auto rec = Open(o);
  ASSERT_TRUE(rec);
  auto first = rec->Append(rec->Read()->head, Create("orders"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = rec->Record(GenerateTo({"orders", "users"}));
  ASSERT_TRUE(second.ok() && *second) << second.status().ToString();
  auto nothing = rec->Record(GenerateTo({"orders", "users"}));
  ASSERT_TRUE(nothing.ok() && !*nothing);
  env.InjectSyncFailure();
  auto failed = rec->Append(rec->Read()->head, Deploy("prod", 2));
  EXPECT_EQ(failed.status().code(), Code::kIoError) << failed.status().ToString();

  ASSERT_EQ(acked.size(), 2u);
  EXPECT_EQ(acked[0].commit.seq(), 1u);
  EXPECT_EQ(acked[0].hash, first->hash);
  EXPECT_EQ(acked[1].commit.seq(), 2u);
  EXPECT_EQ(acked[1].hash, (*second)->hash);
  EXPECT_EQ(durable_at_ack, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(unsynced_at_ack, 0u);
}

TEST_F(RecorderTest, AppendIsAConflictWhenTheHeadMoved) {
  auto a = Open(Options(&clock_));
  auto b = Open(Options(&clock_));
  auto read_by_a = a->Read();
  ASSERT_TRUE(read_by_a.ok());
  const Head stale = read_by_a->head;
  auto by_b = b->Append(b->Read()->head, Create("tbl3"));
  ASSERT_TRUE(by_b.ok()) << by_b.status().ToString();
  const auto before = DirFiles(log_);

  auto by_a = a->Append(stale, Create("tbl3"));
  ASSERT_FALSE(by_a.ok());
  EXPECT_EQ(by_a.status().code(), Code::kConflict);
  EXPECT_EQ(by_a.status().message(),
            "the log's head moved from seq 0 (empty) to seq 1 (" +
                HashHex(by_b->hash).substr(0, 12) +
                ") since it was read; recompute against the new head");
  EXPECT_EQ(DirFiles(log_), before);

  // Computed against a head this recorder has not read: found out before the lock.
  Head invented{7, {}, std::nullopt};
  auto invented_head = a->Append(invented, Create("other"));
  EXPECT_EQ(invented_head.status().code(), Code::kConflict);
  EXPECT_EQ(invented_head.status().message(),
            "the log's head is seq 1 (" + HashHex(by_b->hash).substr(0, 12) +
                "), not seq 7 (" + HashHex(Hash{}).substr(0, 12) +
                ") as the change was computed against; recompute against the new head");
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 1u);
}

TEST_F(RecorderTest, RecordRebasesAGenerateAndAnIdenticalOneRecordsNothing) {
  auto a = Open(Options(&clock_));
  auto b = Open(Options(&clock_));
  int calls = 0;
  Recorder::Maker generate = GenerateTo({"orders", "customers"}, &calls);
  // While `a` computes its change, `b` records part of the same change.
  Recorder::Maker racing = [&](const HeadState& at) -> Result<std::optional<Draft>> {
    if (calls == 0) {
      auto by_b = b->Record(GenerateTo({"orders"}));
      EXPECT_TRUE(by_b.ok() && by_b->has_value());
    }
    return generate(at);
  };
  auto recorded = a->Record(racing);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  ASSERT_TRUE(recorded->has_value());
  EXPECT_EQ(calls, 2) << "made once, conflicted, made again against the new head";
  {
    std::lock_guard l(notes_mu_);
    EXPECT_EQ(std::count(notes_.begin(), notes_.end(),
                         "note: another strata process appended to the log after seq 0; "
                         "recomputing against its commits"),
              1);
  }
  const pb::Commit& c = (*recorded)->commit;
  EXPECT_EQ(c.seq(), 2u);
  ASSERT_EQ(c.events_size(), 1);
  EXPECT_EQ(c.events(0).dynamodb().create_table().table().name(), "customers");

  const auto before = DirFiles(log_);
  auto again = a->Record(GenerateTo({"orders", "customers"}));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  auto from_b = b->Record(GenerateTo({"orders", "customers"}));
  ASSERT_TRUE(from_b.ok());
  EXPECT_FALSE(from_b->has_value());
  EXPECT_EQ(DirFiles(log_), before);

  auto log = ReplayedLog(env_.get(), log_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].events(0).dynamodb().create_table().table().name(), "orders");
}

TEST_F(RecorderTest, FactsAreRecordedAgainAfterAConflict) {
  auto a = Open(Options(&clock_));
  auto b = Open(Options(&clock_));
  ASSERT_TRUE(a->Append(a->Read()->head, Create("orders")).ok());
  int calls = 0;
  auto recorded = a->Record([&](const HeadState&) -> Result<std::optional<Draft>> {
    if (calls++ == 0) {
      EXPECT_TRUE(b->Append(b->Read()->head, Create("carts")).ok());
    }
    return std::optional<Draft>(Deploy("prod", 1));
  });
  ASSERT_TRUE(recorded.ok() && recorded->has_value()) << recorded.status().ToString();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ((*recorded)->commit.seq(), 3u);
  EXPECT_EQ((*recorded)->commit.deployment().to_seq(), 1u);
}

// No unreplayable commit can be written: a draft that does not apply to the state at the head
// is refused, and the log (segments and witness) is byte-identical afterwards.
TEST_F(RecorderTest, DraftThatDoesNotApplyIsRefusedAndTheLogIsUntouched) {
  auto rec = Open(Options(&clock_));
  ASSERT_TRUE(rec->Append(rec->Read()->head, Create("orders")).ok());
  const Head head = rec->Read()->head;
  const auto before = DirFiles(log_);

  auto drop = rec->Append(head, Draft::Drop("ddb", pb::ENGINE_DYNAMODB, {DropTable("carts")},
                                            "drop carts"));
  ASSERT_FALSE(drop.ok());
  EXPECT_EQ(drop.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(drop.status().message(),
            "the change does not apply to the recorded state at the log's head (seq 1): commit 2 "
            "event 1: dynamodb table carts does not exist; nothing was recorded");

  auto create = rec->Append(head, Create("orders"));
  EXPECT_EQ(create.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(create.status().message(),
            "the change does not apply to the recorded state at the log's head (seq 1): commit 2 "
            "event 1: dynamodb table orders already exists; nothing was recorded");

  // All or nothing: the first event applied before the second failed, and is not kept.
  auto half = rec->Append(head, Draft::Generate("ddb", pb::ENGINE_DYNAMODB,
                                                {CreateTable("carts"), DropTable("nope")}, "half"));
  EXPECT_EQ(half.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DirFiles(log_), before);

  auto at = rec->Read();
  ASSERT_TRUE(at.ok());
  EXPECT_FALSE(HasTable(*at, "carts"));
  ASSERT_TRUE(rec->Append(at->head, Create("carts")).ok());
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 2u);
}

TEST_F(RecorderTest, DeploymentOrTagAfterTheHeadAndEmptyDraftsAreRefused) {
  auto rec = Open(Options(&clock_));
  ASSERT_TRUE(rec->Append(rec->Read()->head, Create("orders")).ok());
  const Head head = rec->Read()->head;
  const auto before = DirFiles(log_);

  auto deploy = rec->Append(head, Deploy("prod", 2));
  EXPECT_EQ(deploy.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(deploy.status().message(),
            "the deployment names seq 2, after the log's head (seq 1); nothing was recorded");
  auto tag = rec->Append(head, Draft::Tag("v1", 5, false, "tag v1"));
  EXPECT_EQ(tag.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(tag.status().message(),
            "tag \"v1\" names seq 5, after the log's head (seq 1); nothing was recorded");
  auto empty = rec->Append(head, Draft::Generate("ddb", pb::ENGINE_DYNAMODB, {}, "nothing"));
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(empty.status().message(),
            "nothing to record: the draft has no events, deployment, tag or migration");
  EXPECT_EQ(DirFiles(log_), before);

  ASSERT_TRUE(rec->Append(head, Draft::Tag("v1", 1, false, "tag v1")).ok());
  ASSERT_TRUE(rec->Append(rec->Read()->head, Deploy("prod", 2)).ok());
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 3u);
}

// The measured bug: times were stamped before the lock, so seq 12 could carry a time earlier
// than seq 11. Now a clock that steps back (here, or on another machine) never shows in the log.
TEST_F(RecorderTest, CommitTimesNeverGoBackwards) {
  auto rec = Open(Options(&clock_));
  ASSERT_TRUE(rec->Append(rec->Read()->head, Create("a")).ok());
  clock_.now = kT0 - 3600'000'000;  // an hour back
  auto second = rec->Append(rec->Read()->head, Create("b"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->commit.time_unix_micros(), kT0);

  FakeClock behind;
  behind.now = kT0 - 7200'000'000;
  auto other = Open(Options(&behind));
  auto third = other->Record(GenerateTo({"a", "b", "c"}));
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->commit.time_unix_micros(), kT0);

  clock_.now = kT0 + 5;
  auto fourth = rec->Append(rec->Read()->head, Create("d"));
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->commit.time_unix_micros(), kT0 + 5);
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 4u);
}

// A fact recorded after it happened (a migration whose capture took a while) carries its own
// time, so "@time" refs can address a point between two facts recorded in one run.
TEST_F(RecorderTest, ADraftsOwnTimeIsStampedButNeverBeforeTheHead) {
  auto rec = Open(Options(&clock_));
  clock_.now = kT0 + 10;
  ASSERT_TRUE(rec->Append(rec->Read()->head, Create("a")).ok());
  EXPECT_EQ(rec->Now(), kT0 + 10);
  clock_.now = kT0 + 100;
  Draft happened = Create("b");
  happened.set_time(kT0 + 40);
  auto b = rec->Append(rec->Read()->head, std::move(happened));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->commit.time_unix_micros(), kT0 + 40);
  Draft too_early = Deploy("prod", 2);
  too_early.set_time(kT0 + 20);  // before seq 2's time: times still never go backwards
  auto c = rec->Append(rec->Read()->head, std::move(too_early));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->commit.time_unix_micros(), kT0 + 40);
  auto d = rec->Append(rec->Read()->head, Create("d"));  // no time of its own: the clock
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->commit.time_unix_micros(), kT0 + 100);
}

TEST_F(RecorderTest, AppendWaitsForAHeldLockAndSucceedsOnceItIsReleased) {
  auto rec = Open(RealTime(Options(&clock_)));
  auto at = rec->Read();
  ASSERT_TRUE(at.ok());
  // Another writer in this very process: its lock must keep the recorder out all the same.
  auto held = CommitWriter::Open(env_.get(), log_, LogOptions{});
  ASSERT_TRUE(held.ok());
  const auto start = std::chrono::steady_clock::now();
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held->reset();
  });
  auto stored = rec->Append(at->head, Create("orders"));
  const auto waited = std::chrono::steady_clock::now() - start;
  release.join();
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_EQ(notes_, std::vector<std::string>{"waiting for another writer to finish with the log " +
                                             log_ + " ..."});
}

TEST_F(RecorderTest, AppendGivesUpWaitingForTheLockWithAClearError) {
  auto o = Options(&clock_);
  o.lock_wait_ms = 1500;
  auto rec = Open(o);
  ASSERT_TRUE(rec->Append(rec->Read()->head, Create("orders")).ok());
  auto held = CommitWriter::Open(env_.get(), log_, LogOptions{});
  ASSERT_TRUE(held.ok());
  const auto before = DirFiles(log_);
  auto stored = rec->Append(rec->Read()->head, Create("carts"));
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(stored.status().message(),
            "waited 1.5 s for another writer to release the log " + log_ +
                " (its LOCK is held) and gave up; nothing was recorded: run this again once the "
                "other strata process has finished");
  EXPECT_GE(clock_.steady.load(), 1500);
  EXPECT_EQ(DirFiles(log_), before);
}

// Several recorders in several threads race to make the same changes: each distinct change
// is recorded exactly once, every fact once per thread, and the log verifies.
TEST_F(RecorderTest, RacingRecordersRecordEachDistinctChangeExactlyOnce) {
  constexpr int kThreads = 4;
  const std::vector<std::string> tables = {"t0", "t1", "t2", "t3", "t4", "t5"};
  {
    auto first = Open(Options(&clock_));
    ASSERT_TRUE(first->Read().ok());  // the index exists before the race
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto o = RealTime(Options(&clock_));
      o.random = [state = uint64_t(i + 1) * 0x9e3779b97f4a7c15ull]() mutable {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
      };
      auto rec = Recorder::Open(o);
      if (!rec.ok()) {
        ++failures;
        return;
      }
      for (size_t k = 0; k < tables.size(); ++k) {
        const std::string table = tables[(k + static_cast<size_t>(i)) % tables.size()];
        auto made = (*rec)->Record([&](const HeadState& at) -> Result<std::optional<Draft>> {
          if (HasTable(at, table)) return std::optional<Draft>();
          return std::optional<Draft>(Create(table));
        });
        auto deployed = (*rec)->Record([&](const HeadState& at) -> Result<std::optional<Draft>> {
          return std::optional<Draft>(Deploy("env-" + std::to_string(i), at.head.seq));
        });
        if (!made.ok() || !deployed.ok()) {
          ADD_FAILURE() << made.status().ToString() << " / " << deployed.status().ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  auto log = ReplayedLog(env_.get(), log_);
  std::map<std::string, int> created, deployed;
  for (const auto& c : log) {
    for (const auto& e : c.events()) ++created[e.dynamodb().create_table().table().name()];
    if (c.has_deployment()) ++deployed[c.deployment().target()];
  }
  EXPECT_EQ(log.size(), tables.size() + kThreads * tables.size());
  for (const auto& t : tables) EXPECT_EQ(created[t], 1) << t;
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(deployed["env-" + std::to_string(i)], static_cast<int>(tables.size()));
  }
  auto witness = ReadWitness(env_.get(), log_);
  ASSERT_TRUE(witness.ok() && witness->has_value());
  EXPECT_EQ((*witness)->seq, log.size());
}

// The state at the head is cached and moved forward, not read again per append: with the
// index gone after the first read, this recorder's own appends and a few from another
// recorder are still read.
TEST_F(RecorderTest, ReadAdvancesTheCachedStateInsteadOfReloadingIt) {
  const std::string index_dir = tmp_ / "idx";
  std::filesystem::create_directories(index_dir);
  auto o = Options(&clock_);
  o.index_path = index_dir + "/index.sqlite";
  auto rec = Open(o);
  ASSERT_TRUE(rec->Read().ok());
  std::filesystem::remove_all(index_dir);  // any later load from the index would fail

  for (const char* t : {"a", "b", "c"}) {
    auto stored = rec->Record(GenerateTo({t}));  // drops the previous table, creates this one
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  }
  auto other_options = Options(&clock_);
  other_options.index_path.clear();  // replays the log
  auto other = Open(other_options);
  ASSERT_TRUE(other->Append(other->Read()->head, Create("x")).ok());
  ASSERT_TRUE(other->Append(other->Read()->head, Deploy("prod", 4)).ok());

  auto at = rec->Read();
  ASSERT_TRUE(at.ok()) << at.status().ToString();
  EXPECT_EQ(at->head.seq, 5u);
  EXPECT_TRUE(HasTable(*at, "c"));
  EXPECT_TRUE(HasTable(*at, "x"));
  EXPECT_FALSE(HasTable(*at, "a"));
  ASSERT_TRUE(rec->Append(at->head, Create("y")).ok());
  EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), 6u);
}

TEST_F(RecorderTest, OpenNeedsAnEnvADirectoryAndTheClocks) {
  auto o = Options(&clock_);
  o.sleep_ms = nullptr;
  auto r = Recorder::Open(o);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "recorder: now_micros, steady_ms, sleep_ms and random are required");
  o = Options(&clock_);
  o.log_dir.clear();
  EXPECT_EQ(Recorder::Open(o).status().message(), "recorder: no log directory");
}

// A power cut at every point of a run of appends (some of them refused): afterwards the log
// replays, passes its witness checks, holds every acknowledged commit, and takes new ones.
TEST_F(RecorderTest, PowerCutAtEveryStepLeavesAReplayableLogWithEveryAcknowledgedCommit) {
  bool completed = false;
  uint64_t cut_runs = 0;
  for (uint64_t crash_at = 1; !completed && crash_at < 400; ++crash_at) {
    SCOPED_TRACE("crash at operation " + std::to_string(crash_at));
    log_ = tmp_ / ("run" + std::to_string(crash_at));
    FaultInjectionEnv env(env_.get());
    env.FailAfter(crash_at, crash_at % 13);
    std::vector<StoredCommit> acked;
    {
      auto o = Options(&clock_, &env);
      o.index_path.clear();
      auto rec = Recorder::Open(o);
      completed = true;
      const std::vector<std::function<Draft(uint64_t)>> script = {
          [](uint64_t) { return Create("a"); },
          [](uint64_t head) { return Deploy("prod", head); },
          [](uint64_t) {
            return Draft::Drop("ddb", pb::ENGINE_DYNAMODB, {DropTable("zz")}, "refused");
          },
          [](uint64_t) { return Create("b"); },
          [](uint64_t head) { return Draft::Tag("v1", head, false, "tag"); },
          [](uint64_t) { return Create("a"); },  // refused: exists
          [](uint64_t) {
            return Draft::Drop("ddb", pb::ENGINE_DYNAMODB, {DropTable("a")}, "drop a");
          },
      };
      for (size_t step = 0; rec.ok() && step < script.size(); ++step) {
        auto at = (*rec)->Read();
        if (!at.ok()) {
          completed = false;
          break;
        }
        auto stored = (*rec)->Append(at->head, script[step](at->head.seq));
        if (stored.ok()) {
          acked.push_back(*stored);
        } else if (stored.status().code() != Code::kInvalidArgument) {
          completed = false;  // the crash
          break;
        }
      }
      if (!rec.ok()) completed = false;
    }
    if (!completed) ++cut_runs;
    ASSERT_TRUE(env.DropUnsyncedData().ok());

    auto after = Options(&clock_);
    after.index_path.clear();
    auto rec = Open(after);
    ASSERT_TRUE(rec);
    auto at = rec->Read();
    ASSERT_TRUE(at.ok()) << at.status().ToString();
    auto log = ReplayedLog(env_.get(), log_);
    ASSERT_GE(log.size(), acked.size());
    for (const auto& c : acked) {
      ASSERT_LE(c.commit.seq(), log.size());
      EXPECT_EQ(log[c.commit.seq() - 1].SerializeAsString(), c.commit.SerializeAsString());
    }
    ASSERT_TRUE(rec->Append(at->head, Create("after-the-cut")).ok());
    EXPECT_EQ(ReplayedLog(env_.get(), log_).size(), log.size() + 1);
  }
  EXPECT_TRUE(completed) << "the script never ran to its end";
  // Five appends of at least a write, two syncs and a witness write each were all cut.
  EXPECT_GE(cut_runs, 20u);
}

}  // namespace
}  // namespace strata::record
