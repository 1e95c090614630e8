// Store and index micro-benchmarks (Google Benchmark), on the real disk.
//
// Files go to a fresh directory under $STRATA_BENCH_DIR, or under the working directory when
// that is unset (bench/run.sh runs from the build directory), never under /tmp: /tmp may be a
// tmpfs, where fsync costs nothing and the append numbers would flatter us. Read benchmarks
// use a generated history of 100k events over 1,000 tables (the same shape as the 1M-event
// history bench/run.sh times through the CLI, a tenth of the size, so this binary stays quick).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/history_gen.h"
#include "engine/index/index.h"
#include "engine/log/env.h"
#include "engine/record/recorder.h"
#include "engine/state/apply.h"
#include "engine/store/commit_store.h"

namespace strata::bench {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kReadHistoryEvents = 100'000;
constexpr uint32_t kReadHistoryTables = 1'000;

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::cerr << what << ": " << s.ToString() << "\n";
  std::abort();
}

template <typename T>
T Check(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

// A scratch directory on the real disk, removed at exit.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("STRATA_BENCH_DIR");
    std::string pattern = (base != nullptr ? std::string(base) : fs::current_path().string()) +
                          "/strata-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "cannot create a scratch directory from " << pattern << "\n";
      std::abort();
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // A new, empty subdirectory for one benchmark run.
  std::string Fresh(const std::string& name) {
    std::string dir = fmt::format("{}/{}-{}", path_, name, next_++);
    fs::create_directories(dir);
    return dir;
  }

 private:
  std::string path_;
  int next_ = 0;
};

ScratchDir& Scratch() {
  static ScratchDir dir;
  return dir;
}

Env* PosixEnv() {
  static std::unique_ptr<Env> env = NewPosixEnv();
  return env.get();
}

// Commits of the generated shape (1-50 events, 25 on average), to append over and over.
const std::vector<pb::Commit>& SampleCommits() {
  static const std::vector<pb::Commit> commits = [] {
    HistoryOptions options;
    options.events = 50'000;
    options.tables = 500;
    HistoryGenerator gen(options);
    std::vector<pb::Commit> out;
    while (!gen.Done()) out.push_back(Check(gen.Next(), "generating sample commits"));
    return out;
  }();
  return commits;
}

// The 100k-event history, written once, with probes for time travel.
struct ReadHistory {
  std::string log_dir;
  uint64_t commits = 0;
  uint64_t events = 0;
  std::vector<Probe> probes;
};

const ReadHistory& History() {
  static const ReadHistory history = [] {
    ReadHistory h;
    h.log_dir = Scratch().Fresh("history") + "/.strata";
    auto writer = Check(CommitWriter::Open(PosixEnv(), h.log_dir, LogOptions{}), "open writer");
    HistoryOptions options;
    options.events = kReadHistoryEvents;
    options.tables = kReadHistoryTables;
    HistoryGenerator gen(options);
    std::vector<pb::Commit> batch;
    while (!gen.Done()) {
      batch.push_back(Check(gen.Next(), "generating the history"));
      if (batch.size() == 1000 || gen.Done()) {
        Check(writer->AppendBatch(std::move(batch)), "appending the history");
        batch.clear();
      }
    }
    h.commits = gen.commits();
    h.events = gen.events();
    h.probes = gen.Probes(200, 7);
    return h;
  }();
  return history;
}

// The reader and a built index over History(), shared by the time-travel benchmarks.
struct OpenIndex {
  std::unique_ptr<CommitReader> reader;
  std::unique_ptr<Index> index;
};

OpenIndex& SharedIndex() {
  static OpenIndex open = [] {
    OpenIndex o;
    o.reader = Check(CommitReader::Open(PosixEnv(), History().log_dir), "open reader");
    o.index = Check(Index::Open(History().log_dir + "/index.sqlite", o.reader.get(), {}),
                    "open index");
    return o;
  }();
  return open;
}

// ---- appends -----------------------------------------------------------------------------

// One commit, durable when Append returns: the latency a user waits for on `generate`.
void BM_AppendOneCommitFsync(benchmark::State& state) {
  const auto& commits = SampleCommits();
  auto writer = Check(CommitWriter::Open(PosixEnv(), Scratch().Fresh("append"), LogOptions{}),
                      "open writer");
  size_t next = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    const pb::Commit& c = commits[next++ % commits.size()];
    events += static_cast<uint64_t>(c.events_size());
    StoredCommit stored = Check(writer->Append(c), "append");
    bytes += stored.position.stored_size;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events/commit"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["stored_bytes/commit"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_AppendOneCommitFsync)->Unit(benchmark::kMicrosecond)->UseRealTime();

// One commit through the recording path, as every command records one: open the writer
// (lock, tail check against the head witness), compare the head, apply the draft to the cached
// state, append with fsync, write the witness, release the lock. The drafts are a generated
// history in order, so each applies to the state the previous ones left.
void BM_RecordOneCommit(benchmark::State& state) {
  const auto& commits = SampleCommits();
  record::RecorderOptions options;
  options.env = PosixEnv();
  options.log_dir = Scratch().Fresh("record") + "/.strata";
  options.now_micros = [] { return int64_t{1'772'000'000'000'000}; };
  options.steady_ms = [] { return int64_t{0}; };
  options.sleep_ms = [](int64_t) {};
  options.random = [] { return uint64_t{0}; };
  auto recorder = Check(record::Recorder::Open(options), "open recorder");
  Head head = Check(recorder->Read(), "read").head;
  size_t next = 0;
  for (auto _ : state) {
    if (next == commits.size()) {
      state.SkipWithError("ran out of sample commits");
      break;
    }
    const pb::Commit& c = commits[next++];
    std::vector<pb::Event> events(c.events().begin(), c.events().end());
    auto draft = record::Draft::Generate(c.schema(), c.engine(), std::move(events), c.message());
    StoredCommit stored = Check(recorder->Append(head, std::move(draft)), "record");
    head = Head{stored.commit.seq(), stored.hash, stored.position};
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordOneCommit)->Unit(benchmark::kMicrosecond)->UseRealTime()->Iterations(1000);

// What a command paid per commit before the recording path: open the writer, append, close.
// BM_RecordOneCommit minus this is what the recorder itself costs.
void BM_OpenAppendOneCommit(benchmark::State& state) {
  const auto& commits = SampleCommits();
  const std::string dir = Scratch().Fresh("open-append") + "/.strata";
  size_t next = 0;
  for (auto _ : state) {
    auto writer = Check(CommitWriter::Open(PosixEnv(), dir, LogOptions{}), "open writer");
    Check(writer->Append(commits[next++ % commits.size()]), "append");
  }
}
BENCHMARK(BM_OpenAppendOneCommit)->Unit(benchmark::kMicrosecond)->UseRealTime()->Iterations(1000);

// Many commits with one fsync: bulk import and the history generator.
void BM_AppendBatch(benchmark::State& state) {
  const auto& commits = SampleCommits();
  const auto batch_size = static_cast<size_t>(state.range(0));
  auto writer = Check(CommitWriter::Open(PosixEnv(), Scratch().Fresh("batch"), LogOptions{}),
                      "open writer");
  size_t next = 0;
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<pb::Commit> batch;
    batch.reserve(batch_size);
    for (size_t i = 0; i < batch_size; ++i) {
      batch.push_back(commits[next++ % commits.size()]);
      events += static_cast<uint64_t>(batch.back().events_size());
    }
    state.ResumeTiming();
    Check(writer->AppendBatch(std::move(batch)), "append batch");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch_size));
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendBatch)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- reading and replay ------------------------------------------------------------------

// What `strata verify` does in-process: checksums, the hash chain, and Apply of every event.
void BM_ScanVerifyReplay(benchmark::State& state) {
  const ReadHistory& h = History();
  for (auto _ : state) {
    auto reader = Check(CommitReader::Open(PosixEnv(), h.log_dir), "open reader");
    pb::State replayed;
    Status s = reader->Scan({}, [&replayed](const ScannedCommit& c) {
      return ApplyCommit(c.commit, &replayed, OnFailure::kDiscard);
    });
    if (!s.ok()) Die("scan", s);
    benchmark::DoNotOptimize(replayed);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(h.events));
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(h.events) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanVerifyReplay)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same scan without Apply: how much of replay is reading, decompressing and hashing.
void BM_ScanVerifyOnly(benchmark::State& state) {
  const ReadHistory& h = History();
  for (auto _ : state) {
    auto reader = Check(CommitReader::Open(PosixEnv(), h.log_dir), "open reader");
    uint64_t events = 0;
    Status s = reader->Scan({}, [&events](const ScannedCommit& c) {
      events += static_cast<uint64_t>(c.commit.events_size());
      return Status::Ok();
    });
    if (!s.ok()) Die("scan", s);
    benchmark::DoNotOptimize(events);
  }
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(h.events) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanVerifyOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// Building the index from nothing (the first command after a clone or a deleted index).
void BM_IndexBuild(benchmark::State& state) {
  const ReadHistory& h = History();
  auto reader = Check(CommitReader::Open(PosixEnv(), h.log_dir), "open reader");
  const std::string dir = Scratch().Fresh("index");
  int run = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    const std::string path = fmt::format("{}/index-{}.sqlite", dir, run++);
    auto index = Check(Index::Open(path, reader.get(), {}), "build index");
    bytes = index->FileBytes();
  }
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(h.events) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["index_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_IndexBuild)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// ---- time travel -------------------------------------------------------------------------

// The whole schema (up to 1,000 tables here) at a random point.
void BM_StateAt(benchmark::State& state) {
  const ReadHistory& h = History();
  Index& index = *SharedIndex().index;
  size_t next = 0;
  for (auto _ : state) {
    const Probe& p = h.probes[next++ % h.probes.size()];
    pb::State s = Check(index.StateAt(p.seq), "StateAt");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_StateAt)->Unit(benchmark::kMillisecond)->UseRealTime();

// One table at a random point: the checkpoint row plus that table's later commits.
void BM_ObjectStateAt(benchmark::State& state) {
  const ReadHistory& h = History();
  Index& index = *SharedIndex().index;
  size_t next = 0;
  for (auto _ : state) {
    const Probe& p = h.probes[next++ % h.probes.size()];
    pb::State s = Check(index.ObjectStateAt(p.seq, p.table), "ObjectStateAt");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ObjectStateAt)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Generating history is not free either; knowing its rate keeps run.sh's setup honest.
void BM_GenerateEvents(benchmark::State& state) {
  uint64_t events = 0;
  for (auto _ : state) {
    HistoryOptions options;
    options.events = 10'000;
    options.tables = 100;
    HistoryGenerator gen(options);
    while (!gen.Done()) benchmark::DoNotOptimize(Check(gen.Next(), "generate"));
    events += gen.events();
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GenerateEvents)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strata::bench
