// Context: everything a command may use, passed explicitly. The cli layer is the only one
// that reads the environment, the clock and the terminal; commands get them from here.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "cli/project.h"
#include "engine/history/history.h"
#include "engine/record/recorder.h"
#include "engine/log/env.h"
#include "engine/status.h"
#include "engine/store/log_store.h"
#include "proto/commit.pb.h"

namespace strata::cli {

enum class Color { kRed, kGreen, kYellow, kCyan, kBold, kDim };

struct Context {
  std::vector<std::string> args;  // the command's own arguments
  std::string command;
  bool json = false;
  bool color = false;             // stdout is a terminal and NO_COLOR is unset
  bool interactive = false;       // stdin and stderr are terminals
  bool progress = false;          // stderr is a terminal and --json is off: live progress
  std::string cwd;
  std::optional<std::string> project_dir;
  GetEnv getenv;
  Env* env = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  int64_t now_micros = 0;
  pb::Actor actor;
  Project project;
  // A shared log's store, opened once per command (cli/mirror.h), and whether this command
  // appended to it (its mirror is then brought up to date before the command ends).
  mutable std::shared_ptr<LogStore> shared_store;
  mutable bool shared_appended = false;

  std::string Paint(Color c, const std::string& text) const;
  void PrintJson(const nlohmann::ordered_json& j) const;
  // A progress or notice line on stderr (never stdout, which --json keeps clean).
  void Note(const std::string& line) const;
  // Progress of a long step named `what` ("indexing the log"), as (done, total): one line on
  // stderr rewritten in place, shown only with `progress` set and once the step has run for a
  // second; the call with done == total ends the line, and (0, 0) takes it away (a step that
  // stopped early). Null when progress is not shown.
  std::function<void(uint64_t, uint64_t)> Progress(std::string what) const;
};

// A usage error: exit code 2.
struct UsageError {
  std::string message;
};

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitChanges = 3;

// A command returns its exit code, or a Status that becomes "strata: error: ..." and exit 1.
using CommandResult = Result<int>;

// The log opened for reading, its index brought up to date (progress notes on stderr).
Result<std::unique_ptr<History>> OpenHistory(const Context& ctx);
// The recording path for this command: time and actor from the context, the writer lock's
// wait from STRATA_LOG_LOCK_TIMEOUT (seconds, default 30), notes on stderr.
Result<std::unique_ptr<record::Recorder>> OpenRecorder(const Context& ctx);
// What backends get from the process: the environment, clocks, sleeping, notes.
backend::Services ServicesFor(const Context& ctx);
// The backend of a schema source (sources are checked when the project loads).
const backend::Backend& BackendOf(const SchemaSource& source);
// The schema source's artifacts and files as people see them: relative to the project root
// when inside it.
std::string ProjectRelative(const Context& ctx, const std::string& path);

}  // namespace strata::cli
