// log_mirror_tool: commit latency and LogStore calls per commit through the recorder, alone and
// with W writer processes at once, then the time to pull every commit into an empty local
// mirror. Store-agnostic: LOG is a strata.yaml `log:` value (a directory or a store URL).
//
//   log_mirror_tool LOG COMMITS [WRITERS]
//
// Prints one line per phase. docs/benchmarks.md has the figures.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "cli/log_store.h"
#include "engine/record/recorder.h"
#include "engine/store/local_log_store.h"
#include "engine/store/mirror.h"

using namespace strata;

namespace {

double NowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Counts the calls a writer makes to its store.
class CountingStore : public LogStore {
 public:
  explicit CountingStore(std::shared_ptr<LogStore> inner) : inner_(std::move(inner)) {}
  std::string Describe() const override { return inner_->Describe(); }
  bool shared() const override { return inner_->shared(); }
  Result<Head> ReadHead() override { ++calls; return inner_->ReadHead(); }
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    ++calls;
    return inner_->Read(from, limit);
  }
  Result<Head> Append(uint64_t seq, std::string_view payload) override {
    ++calls;
    return inner_->Append(seq, payload);
  }
  uint64_t calls = 0;

 private:
  std::shared_ptr<LogStore> inner_;
};

std::unique_ptr<Env> g_env = NewPosixEnv();

Result<std::shared_ptr<LogStore>> Open(const std::string& log) {
  if (log.find("://") != std::string::npos) return cli::OpenLogStoreUrl(log);
  LocalLogStoreOptions o;
  o.env = g_env.get();
  o.dir = log;
  o.on_lock_busy = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return Status::Ok();
  };
  STRATA_ASSIGN_OR_RETURN(auto s, LocalLogStore::Open(std::move(o)));
  return std::shared_ptr<LogStore>(std::move(s));
}

struct Run {
  uint64_t commits = 0, calls = 0;
  double total_ms = 0;
  std::vector<double> latencies;
};

// Records `n` tag/deployment commits; Ok with the figures.
Result<Run> Write(const std::string& log, int n, const std::string& name) {
  STRATA_ASSIGN_OR_RETURN(auto opened, Open(log));
  auto counting = std::make_shared<CountingStore>(std::move(opened));
  record::RecorderOptions ro;
  ro.store = counting;
  ro.actor.set_name(name);
  ro.now_micros = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  ro.steady_ms = [] { return static_cast<int64_t>(NowMs()); };
  ro.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  ro.random = [rng = std::make_shared<std::mt19937_64>(std::random_device{}())] { return (*rng)(); };
  ro.max_rebases = 1000;
  STRATA_ASSIGN_OR_RETURN(auto recorder, record::Recorder::Open(std::move(ro)));
  Run run;
  const double start = NowMs();
  for (int i = 0; i < n; ++i) {
    const double t0 = NowMs();
    STRATA_ASSIGN_OR_RETURN(auto made, recorder->Record([&](const record::HeadState& at)
                                                            -> Result<std::optional<record::Draft>> {
      if (at.head.seq > 0) {
        return std::optional<record::Draft>(
            record::Draft::Tag(fmt::format("{}-{}", name, i), at.head.seq, false, "bench"));
      }
      pb::Deployment d;
      d.set_target(name);
      d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
      return std::optional<record::Draft>(record::Draft::Deploy("bench", pb::ENGINE_POSTGRES, d, "bench"));
    }));
    (void)made;
    run.latencies.push_back(NowMs() - t0);
  }
  run.total_ms = NowMs() - start;
  run.commits = n;
  run.calls = counting->calls;
  return run;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: log_mirror_tool LOG COMMITS [WRITERS]\n";
    return 2;
  }
  const std::string log = argv[1];
  const int commits = std::atoi(argv[2]);
  const int writers = argc > 3 ? std::atoi(argv[3]) : 16;
  if (argc > 4) {  // a child: WRITER NAME; prints "commits calls total_ms"
    auto r = Write(log, commits, argv[4]);
    if (!r.ok()) {
      std::cerr << r.status().ToString() << "\n";
      return 1;
    }
    std::cout << r->commits << " " << r->calls << " " << r->total_ms << "\n";
    return 0;
  }
  // 1. One writer alone.
  auto alone = Write(log, commits, "alone");
  if (!alone.ok()) {
    std::cerr << alone.status().ToString() << "\n";
    return 1;
  }
  std::cout << fmt::format(
      "uncontended: {} commits, {:.2f} ms/commit (p50 {:.2f}, p99 {:.2f}), {:.2f} store calls/commit\n",
      alone->commits, alone->total_ms / alone->commits, Percentile(alone->latencies, 0.5),
      Percentile(alone->latencies, 0.99), double(alone->calls) / alone->commits);
  // 2. W writer processes at once, commits/W each.
  const int each = std::max(1, commits / writers);
  std::vector<std::pair<pid_t, int>> kids;
  const double start = NowMs();
  for (int w = 0; w < writers; ++w) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      const std::string n = std::to_string(each), wr = std::to_string(writers),
                        name = fmt::format("w{}", w);
      execl("/proc/self/exe", argv[0], log.c_str(), n.c_str(), wr.c_str(), name.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    kids.emplace_back(pid, fds[0]);
  }
  uint64_t total = 0, calls = 0;
  for (auto [pid, fd] : kids) {
    std::string out;
    char buf[256];
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(k));
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    uint64_t c = 0, n = 0;
    double ms = 0;
    if (sscanf(out.c_str(), "%lu %lu %lf", &c, &n, &ms) == 3) {
      total += c;
      calls += n;
    } else {
      std::cerr << "writer " << pid << " failed\n";
    }
  }
  const double wall = NowMs() - start;
  std::cout << fmt::format(
      "{} writers: {} commits in {:.0f} ms ({:.1f} commits/s, {:.2f} ms/commit of wall time), "
      "{:.2f} store calls/commit\n",
      writers, total, wall, total * 1000.0 / wall, wall / std::max<uint64_t>(total, 1),
      double(calls) / std::max<uint64_t>(total, 1));
  // 3. Everything into an empty mirror.
  auto store = Open(log);
  if (!store.ok()) return 1;
  const std::string mirror_dir =
      (std::filesystem::temp_directory_path() / fmt::format("strata-mirror-bench-{}", getpid()))
          .string();
  LocalLogStoreOptions mo;
  mo.env = g_env.get();
  mo.dir = mirror_dir;
  auto mirror = LocalLogStore::Open(std::move(mo));
  if (!mirror.ok()) return 1;
  const double p0 = NowMs();
  PullOptions po;
  po.page = 512;
  auto pulled = Pull(**store, **mirror, po);
  const double pull_ms = NowMs() - p0;
  std::filesystem::remove_all(mirror_dir);
  if (!pulled.ok()) {
    std::cerr << pulled.status().ToString() << "\n";
    return 1;
  }
  std::cout << fmt::format("pull into an empty mirror: {} commits in {:.0f} ms ({:.0f} commits/s)\n",
                           pulled->pulled, pull_ms, pulled->pulled * 1000.0 / pull_ms);
  return 0;
}
