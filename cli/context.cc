#include "cli/context.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <ostream>
#include <random>
#include <thread>

#include "adapters/backend/registry.h"
#include "cli/log_store.h"
#include "cli/mirror.h"
#include "cli/signing.h"
#include "engine/store/hash.h"

namespace strata::cli {

std::string Context::Paint(Color c, const std::string& text) const {
  if (!color) return text;
  const char* code = "";
  switch (c) {
    case Color::kRed: code = "31"; break;
    case Color::kGreen: code = "32"; break;
    case Color::kYellow: code = "33"; break;
    case Color::kCyan: code = "36"; break;
    case Color::kBold: code = "1"; break;
    case Color::kDim: code = "2"; break;
  }
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void Context::PrintJson(const nlohmann::ordered_json& j) const { *out << j.dump(2) << "\n"; }

void Context::Note(const std::string& line) const { *err << line << "\n"; }

namespace {

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SleepMillis(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// A number from the environment within [lo, hi], or `fallback` when unset or not a number.
int64_t EnvNumber(const Context& ctx, const char* name, int64_t fallback, int64_t lo, int64_t hi) {
  auto v = ctx.getenv(name);
  if (!v) return fallback;
  try {
    return std::clamp<int64_t>(std::stoll(*v), lo, hi);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

std::function<void(uint64_t, uint64_t)> Context::Progress(std::string what) const {
  if (!progress) return nullptr;
  struct Shown {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    bool visible = false;
  };
  auto shown = std::make_shared<Shown>();
  std::ostream* out = err;
  // STRATA_PROGRESS_DELAY_MS: how long a step runs before its progress shows (tests set 0).
  const auto delay =
      std::chrono::milliseconds(EnvNumber(*this, "STRATA_PROGRESS_DELAY_MS", 1000, 0, 3600000));
  return [out, shown, delay, what = std::move(what)](uint64_t done, uint64_t total) {
    if (total == 0) {
      if (shown->visible) *out << "\r\033[K" << std::flush;
      shown->visible = false;
      return;
    }
    const bool finished = done >= total;
    if (!shown->visible && (finished || std::chrono::steady_clock::now() - shown->start < delay)) {
      return;
    }
    shown->visible = !finished;
    const uint64_t percent = total == 0 ? 100 : done * 100 / total;
    *out << fmt::format("\r\033[K{}: {}/{} ({}%)", what, done, total, percent)
         << (finished ? "\n" : "") << std::flush;
  };
}

Result<std::unique_ptr<History>> OpenHistory(const Context& ctx) {
  HistoryOptions o;
  o.env = ctx.env;
  o.log_dir = ctx.project.log_dir;
  if (!ctx.project.log_url.empty()) {
    // A shared log is read from its local mirror, pulled first.
    STRATA_RETURN_IF_ERROR(RefreshMirrorForRead(ctx));
    o.log_dir = MirrorDir(ctx.project);
  }
  o.note = [&ctx](const std::string& line) { ctx.Note(line); };
  o.index_progress = ctx.Progress("indexing the log");
  return History::Open(o);
}

Result<std::unique_ptr<record::Recorder>> OpenRecorder(const Context& ctx) {
  record::RecorderOptions o;
  o.env = ctx.env;
  o.log_dir = ctx.project.log_dir;
  if (!ctx.project.log_url.empty()) {
    // Commits go to the shared store; the state they are made against comes from the local
    // mirror's index (pulled first), advanced from the store when it has moved on since.
    STRATA_ASSIGN_OR_RETURN(o.store, StoreForWrite(ctx));
    o.log_dir = MirrorDir(ctx.project);
  }
  o.index_path = o.log_dir + "/index.sqlite";
  o.actor = ctx.actor;
  // The context's clock: STRATA_NOW pins it; otherwise it is read when the commit is stamped.
  const bool pinned = ctx.getenv("STRATA_NOW").has_value();
  const int64_t pinned_at = ctx.now_micros;
  o.now_micros = [pinned, pinned_at]() -> int64_t {
    if (pinned) return pinned_at;
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  o.steady_ms = SteadyMillis;
  o.sleep_ms = SleepMillis;
  o.random = [] {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return rng();
  };
  o.lock_wait_ms = EnvNumber(ctx, "STRATA_LOG_LOCK_TIMEOUT", 30, 0, 24 * 3600) * 1000;
  o.note = [&ctx](const std::string& line) { ctx.Note(line); };
  o.index_progress = ctx.Progress("indexing the log");
  STRATA_ASSIGN_OR_RETURN(o.signer, SignerFor(ctx));
  // Said the moment a commit is durable, with its whole hash: whatever happens to the process
  // after this line, the log keeps that commit at that seq (the crash trials rely on it).
  o.acknowledged = [&ctx](const StoredCommit& c) {
    ctx.Note(fmt::format("recorded commit {} {}", c.commit.seq(), HashHex(c.hash)));
  };
  return record::Recorder::Open(std::move(o));
}

backend::Services ServicesFor(const Context& ctx) {
  backend::Services s;
  s.getenv = ctx.getenv;
  s.steady_ms = SteadyMillis;
  // The context's clock, as for commits: STRATA_NOW pins it.
  const bool pinned = ctx.getenv("STRATA_NOW").has_value();
  const int64_t pinned_ms = ctx.now_micros / 1000;
  s.unix_ms = [pinned, pinned_ms]() -> int64_t {
    if (pinned) return pinned_ms;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  s.sleep_ms = SleepMillis;
  s.note = [&ctx](const std::string& line) { ctx.Note(line); };
  // STRATA_POLL_INTERVAL_MS (10 ms to 60 s) lets tests on a local server go faster.
  s.poll_interval_ms = EnvNumber(ctx, "STRATA_POLL_INTERVAL_MS", 1000, 10, 60000);
  return s;
}

const backend::Backend& BackendOf(const SchemaSource& source) {
  return *backend::ForEngine(source.engine);
}

std::string ProjectRelative(const Context& ctx, const std::string& path) {
  std::error_code ec;
  std::filesystem::path rel = std::filesystem::relative(path, ctx.project.root, ec);
  return ec || rel.empty() || *rel.begin() == ".." ? path : rel.string();
}

}  // namespace strata::cli
