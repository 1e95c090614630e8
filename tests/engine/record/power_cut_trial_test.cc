// Power-cut trials: commits recorded through the Recorder onto a log directory over the
// fault-injection Env, cut off at a random mutating operation (a short write of that operation's
// bytes, or a failing sync first), then the power cut itself: every unsynced byte is dropped (in
// half the cuts all but a random part of them: a torn write) and every file created since its
// directory was last synced disappears. After each cut the log
// is reopened on the real file system: it scans (checksums, chain, head witness) and replays,
// every commit acknowledged before the cut is there at its seq with its hash, and the next append
// works (cutting a torn tail when there is one). Logs live on across 25 cuts each, with small
// segments and dictionaries so that rollovers and dictionary frames are cut too.
// STRATA_POWER_CUT_TRIALS and STRATA_POWER_CUT_SEED replay or lengthen a run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "engine/diff/diff.h"
#include "engine/log/fault_injection_env.h"
#include "engine/record/recorder.h"
#include "engine/state/apply.h"
#include "engine/store/hash.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::record {
namespace {

constexpr int64_t kT0 = 1'772'000'000'000'000;
constexpr int kCutsPerLog = 25;

// The real file system without its fsyncs: the fault-injection Env above it keeps its own
// account of what was synced and acts the power cut out from that, so the disk's own flushes
// would only cost time (most of it, on a busy machine).
class NoSyncEnv final : public Env {
 public:
  explicit NoSyncEnv(Env* base) : base_(base) {}
  Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override {
    STRATA_ASSIGN_OR_RETURN(auto file, base_->OpenAppendable(path));
    return std::unique_ptr<WritableFile>(new File(std::move(file)));
  }
  Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override {
    return base_->OpenReadable(path);
  }
  Result<std::string> ReadFile(const std::string& path) override { return base_->ReadFile(path); }
  // A temporary file renamed over the target, as the real one does, minus its fsyncs.
  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    const std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(data.data(), static_cast<std::streamsize>(data.size()));
      if (!out) return Status::IoError("writing " + tmp);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Status::IoError("renaming " + tmp + ": " + ec.message());
    return Status::Ok();
  }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    return base_->ListDir(dir);
  }
  Status CreateDirs(const std::string& dir) override { return base_->CreateDirs(dir); }
  bool Exists(const std::string& path) override { return base_->Exists(path); }
  Result<uint64_t> FileSize(const std::string& path) override { return base_->FileSize(path); }
  Status Truncate(const std::string& path, uint64_t size) override {
    return base_->Truncate(path, size);
  }
  Status RemoveFile(const std::string& path) override { return base_->RemoveFile(path); }
  Status SyncDir(const std::string&) override { return Status::Ok(); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    return base_->LockFile(path);
  }

 private:
  class File final : public WritableFile {
   public:
    explicit File(std::unique_ptr<WritableFile> f) : f_(std::move(f)) {}
    Status Append(std::string_view data) override { return f_->Append(data); }
    Status Sync() override { return Status::Ok(); }
    Status Close() override { return f_->Close(); }

   private:
    std::unique_ptr<WritableFile> f_;
  };
  Env* base_;
};

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

struct Figures {
  int trials = 0;
  int writes_cut = 0;       // the cut came before the run's last append returned
  int bytes_dropped = 0;    // the cut dropped unsynced bytes of the log
  int torn_tails_cut = 0;   // the next writer cut a torn tail
  int acknowledged = 0;     // acknowledged commits checked after a cut (summed over the cuts)
  int unacknowledged_kept = 0;
};

RecorderOptions Options(Env* env, const std::string& log, const LogOptions& lo,
                        std::vector<StoredCommit>* acked, std::vector<std::string>* notes) {
  RecorderOptions o;
  o.env = env;
  o.log_dir = log;
  o.log = lo;
  o.actor.set_name("cutter");
  auto now = std::make_shared<int64_t>(kT0);
  o.now_micros = [now] { return *now += 1000; };
  o.steady_ms = [] { return int64_t{0}; };
  o.sleep_ms = [](int64_t) {};
  o.random = [] { return uint64_t{11}; };
  o.lock_wait_ms = 0;
  o.note = [notes](const std::string& line) { notes->push_back(line); };
  o.acknowledged = [acked](const StoredCommit& c) { acked->push_back(c); };
  return o;
}

// One recording of a random kind: a generate towards a random set of tables, a deployment, or
// a tag naming the head.
Recorder::Maker RandomMaker(std::mt19937_64& rng, int n) {
  const uint64_t kind = rng() % 3;
  const uint64_t tables = rng() % 16;
  return [kind, tables, n](const HeadState& at) -> Result<std::optional<Draft>> {
    if (kind == 1 || (kind == 2 && at.head.seq == 0)) {
      pb::Deployment d;
      d.set_target("prod");
      d.set_to_seq(at.head.seq);
      d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
      return std::optional<Draft>(Draft::Deploy("ddb", pb::ENGINE_DYNAMODB, d, "deploy"));
    }
    if (kind == 2) {
      return std::optional<Draft>(
          Draft::Tag("cut-" + std::to_string(n), at.head.seq, false, "tag"));
    }
    pb::SchemaState desired;
    for (int t = 0; t < 4; ++t) {
      if ((tables >> t) & 1) {
        STRATA_RETURN_IF_ERROR(
            Apply(testing::CreateTableEvent("t" + std::to_string(t)), &desired));
      }
    }
    auto it = at.state->schemas().find("ddb");
    const pb::SchemaState recorded =
        it == at.state->schemas().end() ? pb::SchemaState() : it->second;
    STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, Diff(recorded, desired));
    if (events.empty()) return std::optional<Draft>();
    return std::optional<Draft>(
        Draft::Generate("ddb", pb::ENGINE_DYNAMODB, std::move(events), "generate"));
  };
}

// The log as a reader sees it (checksums, chain, witness), replayed: seq -> hash.
Result<std::map<uint64_t, Hash>> ScanAndReplay(Env* env, const std::string& dir) {
  std::map<uint64_t, Hash> out;
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(env, dir));
  pb::State state;
  STRATA_RETURN_IF_ERROR(reader->Scan({}, [&](const ScannedCommit& c) -> Status {
    STRATA_RETURN_IF_ERROR(ApplyCommit(c.commit, &state, OnFailure::kDiscard));
    out[c.commit.seq()] = c.hash;
    return Status::Ok();
  }));
  return out;
}

uint64_t UnsyncedLogBytes(FaultInjectionEnv& env, Env* base, const std::string& dir) {
  uint64_t total = 0;
  auto names = base->ListDir(dir);
  if (!names.ok()) return 0;
  for (const std::string& name : *names) total += env.unsynced_bytes(dir + "/" + name);
  return total;
}

TEST(PowerCutTrial, EveryAcknowledgedCommitSurvivesACutAtARandomOperation) {
  const int trials = EnvInt("STRATA_POWER_CUT_TRIALS", 1000);
  const uint64_t seed = static_cast<uint64_t>(EnvInt("STRATA_POWER_CUT_SEED", 20261206));
  std::mt19937_64 rng(seed);
  auto posix = NewPosixEnv();
  auto base = std::make_unique<NoSyncEnv>(posix.get());
  testing::TempDir tmp;
  Figures f;
  std::string log;
  LogOptions lo;
  std::map<uint64_t, Hash> acked;  // of the current log
  for (int n = 0; n < trials && !::testing::Test::HasFailure(); ++n) {
    SCOPED_TRACE("power cut " + std::to_string(n) + " of seed " + std::to_string(seed) +
                 " (replay: STRATA_POWER_CUT_SEED=" + std::to_string(seed) +
                 " STRATA_POWER_CUT_TRIALS=" + std::to_string(n + 1) + ")");
    if (n % kCutsPerLog == 0) {
      log = tmp / ("log" + std::to_string(n));
      acked.clear();
      lo = LogOptions();
      lo.segment_target_bytes = 200 + rng() % 1500;
      lo.dictionary_bytes = 1024;
      lo.dictionary_min_records = 3 + static_cast<uint32_t>(rng() % 6);
      lo.dictionary_min_sample_bytes = 256;
    }
    ++f.trials;
    // The run: up to 8 recordings, cut at a random mutating operation (each recording takes
    // about a dozen), sometimes after a failing sync.
    FaultInjectionEnv env(base.get());
    if (rng() % 4 == 0) env.InjectSyncFailure();
    env.FailAfter(1 + rng() % 100, static_cast<size_t>(rng() % 200));
    std::vector<StoredCommit> run_acks;
    std::vector<std::string> notes;
    bool cut = false;
    {
      auto rec = Recorder::Open(Options(&env, log, lo, &run_acks, &notes));
      const int recordings = 1 + static_cast<int>(rng() % 8);
      for (int r = 0; rec.ok() && r < recordings; ++r) {
        auto made = (*rec)->Record(RandomMaker(rng, n * 10 + r));
        if (!made.ok()) {
          cut = true;
          break;
        }
      }
      if (!rec.ok()) cut = true;
    }
    if (cut) ++f.writes_cut;
    if (UnsyncedLogBytes(env, base.get(), log) > 0) ++f.bytes_dropped;
    // Half the cuts tear the last write: a random part of each file's unsynced bytes stays.
    const bool tear = rng() % 2 == 0;
    const uint64_t tear_seed = rng();
    ASSERT_TRUE(env.DropUnsyncedData([&](const std::string& path, uint64_t unsynced) {
                     if (!tear || unsynced == 0) return uint64_t{0};
                     return (tear_seed + path.size()) % (unsynced + 1);
                   }).ok());
    for (const StoredCommit& c : run_acks) {
      auto [it, fresh] = acked.emplace(c.commit.seq(), c.hash);
      ASSERT_TRUE(fresh || it->second == c.hash) << "seq " << c.commit.seq() << " acked twice";
    }

    // After the cut, on the real file system.
    auto seen = ScanAndReplay(base.get(), log);
    if (!seen.ok() && seen.status().code() == Code::kNotFound) seen = std::map<uint64_t, Hash>();
    ASSERT_TRUE(seen.ok()) << seen.status().ToString();
    for (const auto& [seq, hash] : acked) {
      auto it = seen->find(seq);
      ASSERT_NE(it, seen->end()) << "acknowledged commit " << seq << " is gone";
      EXPECT_EQ(HashHex(it->second), HashHex(hash)) << "acknowledged commit " << seq;
    }
    ASSERT_EQ(seen->empty() ? 0u : seen->rbegin()->first, seen->size()) << "seqs not dense";
    f.acknowledged += static_cast<int>(acked.size());
    f.unacknowledged_kept += static_cast<int>(seen->size() - acked.size());

    // The next append works, on top of everything that survived.
    std::vector<StoredCommit> next_acks;
    std::vector<std::string> next_notes;
    auto rec = Recorder::Open(Options(base.get(), log, lo, &next_acks, &next_notes));
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    auto at = (*rec)->Read();
    ASSERT_TRUE(at.ok()) << at.status().ToString();
    pb::Deployment d;
    d.set_target("after-the-cut");
    d.set_to_seq(at->head.seq);
    d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    auto next = (*rec)->Append(at->head, Draft::Deploy("ddb", pb::ENGINE_DYNAMODB, d, "next"));
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(next->commit.seq(), seen->size() + 1);
    ASSERT_EQ(next_acks.size(), 1u);
    acked.emplace(next->commit.seq(), next->hash);
    for (const std::string& note : next_notes) {
      if (note.find("cut a torn tail") != std::string::npos) ++f.torn_tails_cut;
    }
  }
  std::cout << "power cuts: " << f.trials << " trials, " << f.writes_cut
            << " cut before the run's last append returned, " << f.bytes_dropped
            << " dropped unsynced log bytes, " << f.torn_tails_cut << " torn tails cut, "
            << f.acknowledged << " acknowledged commits checked, " << f.unacknowledged_kept
            << " unacknowledged commits kept\n";
  EXPECT_EQ(f.trials, trials);
  // The cuts must land inside writes, and torn tails must be seen and cut.
  EXPECT_GT(f.writes_cut, trials / 2);
  EXPECT_GT(f.torn_tails_cut, 0);
}

}  // namespace
}  // namespace strata::record
