#include "cli/mirror.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "adapters/common/text_file.h"
#include "cli/log_store.h"
#include "engine/refs/refs.h"
#include "engine/store/hash.h"
#include "engine/store/local_log_store.h"

namespace strata::cli {
namespace fs = std::filesystem;

namespace {

constexpr char kPullStateFile[] = "PULLED";
// Written once the store passed the conditional-write probe, so each checkout probes a store
// at its first write and not at every write.
constexpr char kProbedFile[] = "PROBED";

Result<PullReport> PullInto(const Context& ctx, LogStore& store, const std::string& mirror_dir,
                            bool progress);

// The store a command writes through: the shared store, whose every acknowledged append is
// pulled into the mirror at once (so what the command reads next, the migration capture
// included, sees its own commits). STRATA_TEST_CRASH_AT=after-remote-append ends the process
// right after the store acknowledged an append, before the mirror has it (the crash test of
// docs/testing.md).
class WatchedStore : public LogStore {
 public:
  WatchedStore(std::shared_ptr<LogStore> inner, const Context* ctx, bool crash_after_append)
      : inner_(std::move(inner)), ctx_(ctx), crash_after_append_(crash_after_append) {}
  std::string Describe() const override { return inner_->Describe(); }
  bool shared() const override { return inner_->shared(); }
  Result<Head> ReadHead() override { return inner_->ReadHead(); }
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    return inner_->Read(from, limit);
  }
  Result<Head> Append(uint64_t seq, std::string_view payload) override {
    auto r = inner_->Append(seq, payload);
    // Ok, and also an unknown outcome: the mirror is pulled again before the command ends.
    ctx_->shared_appended = true;
    if (!r.ok()) return r;
    if (crash_after_append_) _exit(137);
    auto pulled = PullInto(*ctx_, *inner_, MirrorDir(ctx_->project), false);
    if (pulled.ok()) ctx_->shared_appended = false;
    return r;
  }
  Status ProbeConditionalWrites() override { return inner_->ProbeConditionalWrites(); }

 private:
  std::shared_ptr<LogStore> inner_;
  const Context* ctx_;
  bool crash_after_append_;
};

std::string SchemeOfUrl(const std::string& url) {
  const size_t colon = url.find("://");
  std::string s = colon == std::string::npos ? "log" : url.substr(0, colon);
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '-';
  }
  return s;
}

Result<std::unique_ptr<LocalLogStore>> OpenMirror(const Context& ctx, const std::string& dir) {
  LocalLogStoreOptions o;
  o.env = ctx.env;
  o.dir = dir;
  o.note = [&ctx](const std::string& line) { ctx.Note("mirror: " + line); };
  // Several strata processes of one checkout pull into the same mirror: a pull waits for the
  // one in progress (each holds the lock for one page) rather than failing the command.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  o.on_lock_busy = [deadline, dir]() -> Status {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable(fmt::format(
          "the local mirror {} stayed locked by another strata process for 30 s; run the "
          "command again once it has finished",
          dir));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return Status::Ok();
  };
  return LocalLogStore::Open(std::move(o));
}

Status WritePullState(const Context& ctx, const std::string& dir, const LogStore& store,
                      const Head& head) {
  const nlohmann::ordered_json j = {
      {"version", 1},
      {"seq", head.seq},
      {"hash", head.seq == 0 ? "" : HashHex(head.hash)},
      {"pulled_at", ctx.now_micros},
      {"store", store.Describe()}};
  // A temporary file of this process's own: processes of one checkout pulling at once each
  // leave a whole PULLED (the newest pull's, or one just before it).
  return common::WriteTextFile(fs::path(dir) / kPullStateFile, j.dump(2) + "\n");
}

std::string Staleness(const std::optional<PullState>& state) {
  if (!state) return "never pulled";
  return fmt::format("as of its last pull at {} (seq {})", FormatTime(state->pulled_at),
                     state->seq);
}

}  // namespace

std::string MirrorDirFor(const std::string& root, const std::string& written_url) {
  return (std::filesystem::path(root) / ".strata" / "remote" /
          (SchemeOfUrl(written_url) + "-" + HashHex(Sha256(written_url)).substr(0, 16)))
      .string();
}

std::string MirrorDir(const Project& project) {
  return MirrorDirFor(project.root,
                      project.log_written.empty() ? project.log_url : project.log_written);
}

std::optional<PullState> ReadPullState(Env* env, const std::string& mirror_dir) {
  auto text = env->ReadFile(mirror_dir + "/" + kPullStateFile);
  if (!text.ok()) return std::nullopt;
  try {
    const auto j = nlohmann::json::parse(*text);
    PullState s;
    s.seq = j.at("seq").get<uint64_t>();
    s.hash = j.at("hash").get<std::string>();
    s.pulled_at = j.at("pulled_at").get<int64_t>();
    s.store = j.at("store").get<std::string>();
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Result<std::shared_ptr<LogStore>> SharedStore(const Context& ctx) {
  if (ctx.shared_store) return ctx.shared_store;
  STRATA_ASSIGN_OR_RETURN(std::shared_ptr<LogStore> opened, OpenSharedLogStore(ctx));
  if (!opened) return Status::Internal("the project's log is not a shared store");
  const auto crash = ctx.getenv("STRATA_TEST_CRASH_AT");
  ctx.shared_store = std::make_shared<WatchedStore>(
      std::move(opened), &ctx, crash && *crash == "after-remote-append");
  return ctx.shared_store;
}

Result<PullReport> PullMirror(const Context& ctx, LogStore& store, const std::string& mirror_dir,
                              bool progress) {
  return PullInto(ctx, store, mirror_dir, progress);
}

namespace {

Result<PullReport> PullInto(const Context& ctx, LogStore& store, const std::string& mirror_dir,
                            bool progress) {
  STRATA_ASSIGN_OR_RETURN(auto mirror, OpenMirror(ctx, mirror_dir));
  PullOptions o;
  o.page = 512;
  if (progress && !ctx.json) {
    o.progress = [&ctx](uint64_t pulled, uint64_t seq) {
      if (pulled >= 512) ctx.Note(fmt::format("  pulled {} commits (seq {})", pulled, seq));
    };
  }
  STRATA_ASSIGN_OR_RETURN(PullReport report, Pull(store, *mirror, o));
  STRATA_RETURN_IF_ERROR(WritePullState(ctx, mirror_dir, store, report.after));
  return report;
}

}  // namespace

// A note for readers when the mirror ends with a relocation commit: the log goes on elsewhere.
void NoteRelocated(const Context& ctx, const std::string& dir, const Head& head) {
  if (head.seq == 0) return;
  auto mirror = OpenMirror(ctx, dir);
  if (!mirror.ok()) return;
  auto top = (*mirror)->Read(head.seq, 1);
  if (!top.ok() || top->empty()) return;
  pb::Commit c;
  if (!c.ParseFromString(top->front().payload) || !c.has_relocation()) return;
  ctx.Note(fmt::format("note: this log moved to {} (commit {}); what you see here ends there. "
                       "Set `log: {}` in strata.yaml",
                       c.relocation().to(), head.seq, c.relocation().to()));
}

Status RefreshMirrorForRead(const Context& ctx) {
  const std::string dir = MirrorDir(ctx.project);
  auto store = SharedStore(ctx);
  Status failed = store.status();
  if (store.ok()) {
    auto pulled = PullMirror(ctx, **store, dir, true);
    if (pulled.ok()) {
      NoteRelocated(ctx, dir, pulled->after);
      return Status::Ok();
    }
    failed = pulled.status();
  }
  if (failed.code() != Code::kUnavailable) return failed;
  const std::optional<PullState> state = ReadPullState(ctx.env, dir);
  if (!state) {
    return Status::Unavailable(fmt::format(
        "{}; there is no local mirror of the shared log to answer from yet: run this again "
        "once the store answers",
        failed.message()));
  }
  ctx.Note(fmt::format(
      "note: the shared log cannot be reached ({}); answering from the local mirror {}. Run "
      "`strata log pull` once it answers",
      failed.message(), Staleness(state)));
  return Status::Ok();
}

Result<std::shared_ptr<LogStore>> StoreForWrite(const Context& ctx) {
  auto refuse = [&ctx](const Status& why) {
    return Status::FailedPrecondition(fmt::format(
        "{}: nothing was recorded: writing needs the shared log ({}), and a commit made "
        "without it would fork the log. Run this again once the store answers (reads still "
        "work from the local mirror)",
        why.message(), ctx.project.log_url));
  };
  auto store = SharedStore(ctx);
  if (!store.ok()) {
    if (store.status().code() == Code::kUnavailable) return refuse(store.status());
    return store.status();
  }
  const std::string dir = MirrorDir(ctx.project);
  auto pulled = PullMirror(ctx, **store, dir, true);
  if (!pulled.ok()) {
    if (pulled.status().code() == Code::kUnavailable) return refuse(pulled.status());
    return pulled.status();
  }
  // The first write from this checkout: a store that ignores conditional writes (some
  // S3-compatible ones do) would let racing writers fork the log, so it is refused before
  // anything is written to it.
  if (!ctx.env->ReadFile(dir + "/" + kProbedFile).ok()) {
    Status probed = (*store)->ProbeConditionalWrites();
    if (probed.code() == Code::kUnavailable) return refuse(probed);
    if (!probed.ok()) {
      return Status(probed.code(), fmt::format("{}; nothing was recorded", probed.message()));
    }
    STRATA_RETURN_IF_ERROR(common::WriteTextFile(
        fs::path(dir) / kProbedFile,
        fmt::format("{} honoured conditional writes at {}\n", (*store)->Describe(),
                    FormatTime(ctx.now_micros))));
  }
  return *store;
}

void CatchUpMirror(const Context& ctx) {
  if (!ctx.shared_appended || !ctx.shared_store) return;
  auto pulled = PullMirror(ctx, *ctx.shared_store, MirrorDir(ctx.project), false);
  if (!pulled.ok()) {
    ctx.Note(fmt::format("note: the local mirror was not brought up to date ({}); the next "
                         "command pulls",
                         pulled.status().message()));
  }
}

}  // namespace strata::cli
