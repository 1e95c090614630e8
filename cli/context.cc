#include "cli/context.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <random>
#include <thread>

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

// The wall clock, unless STRATA_NOW pinned it for the whole run (demos, golden tests).
std::function<int64_t()> WallClock(const Context& ctx) {
  if (ctx.getenv && ctx.getenv("STRATA_NOW")) {
    return [pinned = ctx.now_micros] { return pinned; };
  }
  return [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

Result<int64_t> LockWaitMs(const Context& ctx) {
  const std::optional<std::string> text =
      ctx.getenv ? ctx.getenv("STRATA_LOG_LOCK_TIMEOUT") : std::nullopt;
  if (!text || text->empty()) return int64_t{30000};
  char* end = nullptr;
  const double seconds = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0' || !(seconds >= 0)) {
    return Status::InvalidArgument(fmt::format(
        "STRATA_LOG_LOCK_TIMEOUT=\"{}\": give the seconds to wait for the log's writer lock",
        *text));
  }
  return static_cast<int64_t>(seconds * 1000);
}

}  // namespace

Result<std::unique_ptr<record::Recorder>> OpenRecorder(const Context& ctx) {
  record::RecorderOptions o;
  o.env = ctx.env;
  o.log_dir = ctx.project.log_dir;
  o.index_path = ctx.project.log_dir + "/index.sqlite";
  o.actor = ctx.actor;
  o.now_micros = WallClock(ctx);
  o.steady_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  o.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  o.random = [rng = std::make_shared<std::mt19937_64>(std::random_device{}())] { return (*rng)(); };
  STRATA_ASSIGN_OR_RETURN(o.lock_wait_ms, LockWaitMs(ctx));
  o.note = [&ctx](const std::string& line) { ctx.Note(line); };
  return record::Recorder::Open(std::move(o));
}

Result<std::unique_ptr<strata::History>> OpenHistory(const Context& ctx) {
  HistoryOptions o;
  o.env = ctx.env;
  o.log_dir = ctx.project.log_dir;
  o.index_path = ctx.project.log_dir + "/index.sqlite";
  o.note = [&ctx](const std::string& line) { ctx.Note(line); };
  return strata::History::Open(o);
}

}  // namespace strata::cli
