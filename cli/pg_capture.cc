#include "cli/pg_capture.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/postgres/introspect.h"
#include "cli/describe.h"
#include "cli/pg_target.h"
#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/store/commit_store.h"

namespace strata::cli {
namespace pg = strata::postgres;

namespace {

Result<pb::SchemaState> Live(pg::Connection& conn) {
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema live, pg::Introspect(conn, pg::IntrospectOptions{}));
  return PostgresState(std::move(live));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// How long a capture waits for another process's append to finish.
constexpr auto kWriterWait = std::chrono::seconds(60);

}  // namespace

Result<std::unique_ptr<MigrationCapture>> MigrationCapture::Open(
    const Context& ctx, std::string schema, std::string database,
    const std::vector<pg::MigrationTrack>* tracks) {
  std::unique_ptr<MigrationCapture> c(
      new MigrationCapture(ctx, std::move(schema), std::move(database), tracks));
  STRATA_RETURN_IF_ERROR(c->LoadLog());
  return c;
}

pg::MigrationHooks MigrationCapture::Hooks() {
  pg::MigrationHooks h;
  h.on_locked = [this](pg::Connection& conn, const std::vector<pg::AppliedMigration>& rows) {
    return OnLocked(conn, rows);
  };
  h.before_each = [this](pg::Connection& conn, const pg::MigrationFile& file) {
    return Before(conn, file);
  };
  h.after_each = [this](pg::Connection& conn, const pg::MigrationFile& file,
                        const pg::AppliedMigration& row) { return After(conn, file, row); };
  return h;
}

Status MigrationCapture::LoadLog() {
  known_.clear();
  head_state_ = pb::SchemaState();
  head_seq_ = 0;
  STRATA_RETURN_IF_ERROR(ctx_.env->CreateDirs(ctx_.project.log_dir));
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(ctx_.env, ctx_.project.log_dir));
  pb::State state;
  std::map<uint64_t, std::string> stem_of;  // seq of a migration's commit -> its stem
  CommitScanOptions scan;
  scan.decode_ahead = true;
  STRATA_RETURN_IF_ERROR(reader->Scan(scan, [&](const StoredCommit& c) -> Status {
    head_seq_ = c.commit.seq();
    if (c.commit.schema() != schema_) return Status::Ok();
    STRATA_RETURN_IF_ERROR(ApplyCommit(c.commit, &state, OnFailure::kDiscard));
    if (c.commit.has_migration() && !c.commit.migration().name().empty() &&
        !c.commit.has_deployment()) {
      Known& k = known_[c.commit.migration().name()];
      if (k.seq == 0) {
        k.seq = c.commit.seq();
        k.events.assign(c.commit.events().begin(), c.commit.events().end());
        stem_of[k.seq] = c.commit.migration().name();
      }
      k.databases.insert(c.commit.migration().database());
    }
    if (c.commit.has_deployment() && c.commit.deployment().refers_to_seq() != 0) {
      auto it = stem_of.find(c.commit.deployment().refers_to_seq());
      if (it != stem_of.end()) known_[it->second].databases.insert(c.commit.deployment().target());
    }
    return Status::Ok();
  }));
  auto it = state.schemas().find(schema_);
  if (it != state.schemas().end()) head_state_ = it->second;
  return Status::Ok();
}

const pg::MigrationFile* MigrationCapture::FindFile(const std::string& stem) const {
  if (tracks_ == nullptr) return nullptr;
  for (const auto& t : *tracks_) {
    for (const auto& m : t.migrations) {
      if (m.name.stem == stem) return &m;
    }
  }
  return nullptr;
}

std::string MigrationCapture::Drift(const std::vector<pb::Event>& recorded,
                                    const std::vector<pb::Event>& now) const {
  std::vector<std::string> a, b;
  for (const auto& e : recorded) a.push_back(e.SerializeAsString());
  for (const auto& e : now) b.push_back(e.SerializeAsString());
  if (a == b) return "";
  std::string out = fmt::format("recorded {} change{}, here {}:", recorded.size(),
                                recorded.size() == 1 ? "" : "s", now.size());
  for (const auto& e : recorded) {
    if (std::find(b.begin(), b.end(), e.SerializeAsString()) == b.end()) {
      const EventText t = Describe(e);
      out += fmt::format(" missing here: {} {};", t.object, t.text);
    }
  }
  for (const auto& e : now) {
    if (std::find(a.begin(), a.end(), e.SerializeAsString()) == a.end()) {
      const EventText t = Describe(e);
      out += fmt::format(" only here: {} {};", t.object, t.text);
    }
  }
  if (out.back() == ';') out.pop_back();
  return out;
}

Result<uint64_t> MigrationCapture::Append(const std::function<Result<pb::Commit>()>& make) {
  const auto deadline = std::chrono::steady_clock::now() + kWriterWait;
  std::unique_ptr<CommitWriter> writer;
  for (;;) {
    auto w = CommitWriter::Open(ctx_.env, ctx_.project.log_dir, LogOptions{});
    if (w.ok()) {
      writer = std::move(w).value();
      break;
    }
    if (w.status().code() != Code::kFailedPrecondition ||
        std::chrono::steady_clock::now() > deadline) {
      return w.status().WithContext("opening the log to record a migration");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Another process may have appended since this capture read the log (another track, or the
  // same migration on another database): decide what to record from the log as it is now.
  if (writer->head().seq != head_seq_) STRATA_RETURN_IF_ERROR(LoadLog());
  STRATA_ASSIGN_OR_RETURN(pb::Commit commit, make());
  commit.set_schema(schema_);
  commit.set_engine(pb::ENGINE_POSTGRES);
  commit.set_time_unix_micros(ctx_.now_micros);
  *commit.mutable_actor() = ctx_.actor;
  // Applied in place (all or nothing): the recorded schema can be large.
  pb::State state;
  (*state.mutable_schemas())[schema_].Swap(&head_state_);
  Status applied = ApplyCommit(commit, &state);
  Result<StoredCommit> appended = applied.ok() ? writer->Append(std::move(commit))
                                               : Result<StoredCommit>(applied);
  if (!appended.ok()) {
    if (applied.ok()) {
      // Not written: the log's head is what LoadLog reads next time.
      STRATA_RETURN_IF_ERROR(LoadLog());
      return appended.status();
    }
  }
  (*state.mutable_schemas())[schema_].Swap(&head_state_);
  STRATA_RETURN_IF_ERROR(appended.status());
  StoredCommit& stored = *appended;
  head_seq_ = stored.commit.seq();
  return stored.commit.seq();
}

Status MigrationCapture::OnLocked(pg::Connection& conn,
                                  const std::vector<pg::AppliedMigration>& rows) {
  // Under the track's advisory lock nobody else records this track on this database: read
  // the log as it is now, so rows another run just recorded are not taken for missing ones.
  STRATA_RETURN_IF_ERROR(LoadLog());
  last_after_.reset();  // the lock was free before this track: anything may have changed
  std::optional<pb::SchemaState> live;
  for (const auto& row : rows) {
    auto known = known_.find(row.name);
    if (known != known_.end() && known->second.databases.count(database_)) continue;
    if (!live) {
      STRATA_ASSIGN_OR_RETURN(live, Live(conn));
    }
    // Applied to this database but not in the log: record it now, marked as recovered.
    Recorded r{0, row.name, "recovered", 0, ""};
    bool carries = false;
    std::vector<pb::Event> carried;
    auto make = [&]() -> Result<pb::Commit> {
      pb::Commit c;
      c.set_origin(pb::ORIGIN_RECOVERED);
      auto* body = c.mutable_migration();
      body->set_name(row.name);
      if (const pg::MigrationFile* f = FindFile(row.name)) {
        body->set_track(f->name.track);
        body->set_sql(ReadFile(f->path));
      }
      body->set_checksum_sha256(row.hash.size() == 64 ? row.hash : "");
      body->set_duration_ms(row.execution_time_ms.value_or(0));
      body->set_database(database_);
      auto it = known_.find(row.name);  // as of the log's head now
      carries = it == known_.end();
      if (carries) {
        // It carries whatever the log lacks of the live schema (the first such row does).
        STRATA_ASSIGN_OR_RETURN(carried, Diff(head_state_, *live));
        for (const auto& e : carried) *c.add_events() = e;
        c.set_message(fmt::format("recovered {}: applied to {} at {} but missing from the log",
                                  row.name, database_, row.applied_at));
      } else {
        auto* d = c.mutable_deployment();
        d->set_target(database_);
        d->set_refers_to_seq(it->second.seq);
        d->set_to_seq(head_seq_);
        d->set_outcome(pb::DEPLOYMENT_SUCCEEDED);
        d->set_detail("recovered: applied before this run, missing from the log");
        c.set_message(fmt::format("recovered deployment of {} to {}", row.name, database_));
      }
      return c;
    };
    STRATA_ASSIGN_OR_RETURN(r.seq, Append(make));
    r.events = carries ? carried.size() : 0;
    Known& k = known_[row.name];
    if (carries && k.seq == 0) {
      k.seq = r.seq;
      k.events = std::move(carried);
    }
    k.databases.insert(database_);
    ctx_.Note(fmt::format("note: recorded {} as commit {} (applied to {} but missing from the log)",
                          row.name, r.seq, database_));
    recorded_.push_back(std::move(r));
  }
  return Status::Ok();
}

Status MigrationCapture::Before(pg::Connection& conn, const pg::MigrationFile&) {
  if (last_after_) {
    // Nothing ran since the previous migration's capture (this run holds the lock): its
    // after-state is this one's before-state, which saves one introspection per migration.
    before_ = std::move(last_after_);
    last_after_.reset();
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(auto before, pg::Introspect(conn, pg::IntrospectOptions{}));
  before_ = std::move(before);
  return Status::Ok();
}

Status MigrationCapture::After(pg::Connection& conn, const pg::MigrationFile& file,
                               const pg::AppliedMigration& row) {
  if (!before_) return Status::Internal("migration captured without a before state");
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState after, Live(conn));
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, Diff(PostgresState(*before_), after));
  before_.reset();
  last_after_ = after.postgres();

  Recorded r{0, file.name.stem, "", events.size(), ""};
  auto make = [&]() -> Result<pb::Commit> {
    pb::Commit c;
    auto* body = c.mutable_migration();
    body->set_name(file.name.stem);
    body->set_track(file.name.track);
    body->set_checksum_sha256(file.sha256_hex);
    body->set_duration_ms(row.execution_time_ms.value_or(0));
    body->set_database(database_);
    auto it = known_.find(file.name.stem);
    if (it == known_.end()) {
      // First time anywhere: the typed events and the SQL.
      c.set_origin(pb::ORIGIN_MIGRATE);
      c.set_message(fmt::format("migrate {} ({} track)", file.name.stem, file.name.track));
      body->set_sql(ReadFile(file.path));
      pb::State probe;
      (*probe.mutable_schemas())[schema_] = head_state_;
      pb::Commit trial;
      for (const auto& e : events) *trial.add_events() = e;
      trial.set_schema(schema_);
      if (!ApplyCommit(trial, &probe).ok()) {
        // The database did not match the log before this migration: record what makes the log
        // match the database now, and say so.
        STRATA_ASSIGN_OR_RETURN(events, Diff(head_state_, after));
        r.drift =
            "the database differed from the log before this migration; the commit holds "
            "the changes that bring the log to the database's state";
      }
      for (const auto& e : events) *c.add_events() = e;
      r.kind = "migration";
    } else {
      // Applied elsewhere first: a deployment that refers to that commit, checked for drift.
      c.set_origin(pb::ORIGIN_DEPLOY);
      c.set_message(fmt::format("deploy {} to {}", file.name.stem, database_));
      r.drift = Drift(it->second.events, events);
      auto* d = c.mutable_deployment();
      d->set_target(database_);
      d->set_refers_to_seq(it->second.seq);
      d->set_to_seq(head_seq_);
      d->set_outcome(pb::DEPLOYMENT_SUCCEEDED);
      d->set_duration_ms(row.execution_time_ms.value_or(0));
      if (!r.drift.empty()) d->set_detail("drift: " + r.drift);
      r.kind = "deployment";
    }
    return c;
  };
  std::vector<pb::Event> recorded;
  STRATA_ASSIGN_OR_RETURN(r.seq, Append([&]() -> Result<pb::Commit> {
                            STRATA_ASSIGN_OR_RETURN(pb::Commit c, make());
                            recorded.assign(c.events().begin(), c.events().end());
                            return c;
                          }));
  Known& k = known_[file.name.stem];
  if (r.kind == "migration") {
    k.seq = r.seq;
    k.events = std::move(recorded);
  }
  k.databases.insert(database_);
  if (!r.drift.empty()) {
    ctx_.Note(fmt::format("warning: drift in {} on {}: {}", file.name.stem, database_, r.drift));
  }
  recorded_.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace strata::cli
