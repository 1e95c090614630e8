// The local mirror of a shared log: a log directory under the project's .strata/remote/ that
// every command reads (with its usual SQLite index), brought up to date from the store before
// each read and after each write (engine/store/mirror.h checks every entry before it enters).
// A read whose store cannot be reached answers from the mirror with a note saying how old it
// is; a write refuses, since a commit made without the store would fork the log.
// docs/team-log.md, "The local mirror".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cli/context.h"
#include "engine/store/log_store.h"
#include "engine/store/mirror.h"

namespace strata::cli {

// The mirror's directory for the project's shared log: ROOT/.strata/remote/<scheme>-<16 hex of
// the SHA-256 of the log: line as written>.
std::string MirrorDir(const Project& project);
// The same for a log URL as it would be written in strata.yaml.
std::string MirrorDirFor(const std::string& root, const std::string& written_url);

// What the last successful pull saw (the file PULLED in the mirror's directory).
struct PullState {
  uint64_t seq = 0;
  std::string hash;          // hex; empty for an empty log
  int64_t pulled_at = 0;     // Unix microseconds
  std::string store;         // the store as Describe() named it
};
std::optional<PullState> ReadPullState(Env* env, const std::string& mirror_dir);

// The project's shared store, opened once per command (kept in ctx.shared_store) and wrapped
// so appends are seen (ctx.shared_appended) and the crash test hook can act.
Result<std::shared_ptr<LogStore>> SharedStore(const Context& ctx);

// Pulls `store` into the mirror at `mirror_dir` and notes the pull in PULLED. Progress on stderr
// when asked (and not with --json) for pulls of more than a page.
Result<PullReport> PullMirror(const Context& ctx, LogStore& store, const std::string& mirror_dir,
                              bool progress);

// Before a read: pulls the project's shared log into its mirror. When the store cannot be
// reached (Unavailable), notes on stderr how old the mirror is and returns Ok; Unavailable when
// there is no mirror to answer from yet. Corruption for divergence or a damaged store.
Status RefreshMirrorForRead(const Context& ctx);

// Before a write: the store, with the mirror brought up to date from it. FailedPrecondition
// naming the store and what to do when it cannot be reached.
Result<std::shared_ptr<LogStore>> StoreForWrite(const Context& ctx);

// After a command that appended to the shared store: pulls its commits into the mirror. A
// failure is only a note (the next command pulls).
void CatchUpMirror(const Context& ctx);

}  // namespace strata::cli
