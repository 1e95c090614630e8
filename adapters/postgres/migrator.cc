#include "adapters/postgres/migrator.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "engine/store/hash.h"

namespace strata::postgres {

// ---- plan ----------------------------------------------------------------------------------

std::string_view StateName(MigrationState state) {
  switch (state) {
    case MigrationState::kApplied: return "applied";
    case MigrationState::kPending: return "pending";
    case MigrationState::kOutOfOrder: return "out_of_order";
    case MigrationState::kModified: return "modified";
  }
  return "unknown";
}

std::string_view FailureStageName(FailureStage stage) {
  switch (stage) {
    case FailureStage::kValidation: return "validation";
    case FailureStage::kMigration: return "migration";
    case FailureStage::kRecording: return "recording";
    case FailureStage::kHook: return "hook";
  }
  return "unknown";
}

size_t TrackPlan::Count(MigrationState state) const {
  size_t n = 0;
  for (const PlannedMigration& m : migrations) n += m.state == state;
  return n;
}

std::vector<const PlannedMigration*> TrackPlan::ToRun() const {
  std::vector<const PlannedMigration*> out;
  for (const PlannedMigration& m : migrations) {
    if (m.state == MigrationState::kPending || m.state == MigrationState::kOutOfOrder) {
      out.push_back(&m);
    }
  }
  return out;
}

TrackPlan PlanTrack(const MigrationTrack& track, HistoryTable table, bool table_exists,
                    const std::vector<AppliedMigration>& applied) {
  TrackPlan plan;
  plan.track = &track;
  plan.table = std::move(table);
  plan.table_exists = table_exists;
  std::map<std::string, const AppliedMigration*> rows;
  // The newest applied migration whose name parses; older pending ones are out of order.
  std::optional<MigrationName> newest;
  for (const AppliedMigration& a : applied) {
    rows[a.name] = &a;
    Result<MigrationName> name = ParseMigrationStem(a.name);
    if (name.ok() && (!newest || RunsBefore(*newest, *name))) newest = *name;
  }
  std::set<std::string> files;
  for (const MigrationFile& f : track.migrations) {
    files.insert(f.name.stem);
    PlannedMigration m;
    m.file = &f;
    if (auto it = rows.find(f.name.stem); it != rows.end()) {
      m.applied = *it->second;
      m.match = MatchHash(it->second->hash, f.sha256_hex, f.md5_hex);
      m.state = m.match == HashMatch::kMismatch ? MigrationState::kModified : MigrationState::kApplied;
    } else {
      m.state = newest && RunsBefore(f.name, *newest) ? MigrationState::kOutOfOrder
                                                      : MigrationState::kPending;
    }
    plan.migrations.push_back(std::move(m));
  }
  for (const AppliedMigration& a : applied) {
    if (!files.count(a.name)) plan.missing.push_back(a);
  }
  return plan;
}

Status CheckRunnable(const std::vector<TrackPlan>& plans, bool allow_out_of_order) {
  std::vector<std::string> modified, out_of_order, unrunnable;
  for (const TrackPlan& plan : plans) {
    for (const PlannedMigration& m : plan.migrations) {
      const bool to_run =
          m.state == MigrationState::kPending || m.state == MigrationState::kOutOfOrder;
      for (const SqlProblem& p : to_run ? m.file->problems : std::vector<SqlProblem>()) {
        unrunnable.push_back(fmt::format("  {}:{}: {}", m.file->path, p.line, p.message));
      }
      if (m.state == MigrationState::kModified) {
        modified.push_back(fmt::format("  {} (recorded hash {}, file now {})", m.file->path,
                                       m.applied->hash, m.file->sha256_hex));
      } else if (m.state == MigrationState::kOutOfOrder && !allow_out_of_order) {
        out_of_order.push_back(fmt::format("  {}", m.file->path));
      }
    }
  }
  std::string message;
  if (!modified.empty()) {
    message += fmt::format(
        "{} applied migration(s) changed since they were applied:\n{}\nrestore what was applied "
        "and put the change in a new migration",
        modified.size(), fmt::join(modified, "\n"));
  }
  if (!out_of_order.empty()) {
    if (!message.empty()) message += "\n";
    message += fmt::format(
        "{} pending migration(s) are older than a migration already applied in their track:\n{}\n"
        "rename them to a later timestamp, or apply them as they are with --allow-out-of-order",
        out_of_order.size(), fmt::join(out_of_order, "\n"));
  }
  if (!unrunnable.empty()) {
    if (!message.empty()) message += "\n";
    message += fmt::format("{} problem(s) in migrations to apply, which cannot run as written:\n{}",
                           unrunnable.size(), fmt::join(unrunnable, "\n"));
  }
  if (message.empty()) return Status::Ok();
  return Status::FailedPrecondition(message);
}

// ---- locks --------------------------------------------------------------------------------

namespace {

// The key of the database's apply lock: like a track's (HistoryTable::LockKey), the first 8
// bytes of a SHA-256, here of a name no history table has. Advisory locks belong to one
// database, so the key needs no database name.
std::string ApplyLockKey() {
  const Hash h = Sha256("strata:migrate:apply");
  uint64_t key = 0;
  for (int i = 0; i < 8; ++i) key = (key << 8) | h[i];
  return std::to_string(static_cast<int64_t>(key));
}

}  // namespace

// A session-level advisory lock on the migrator's connection, released when destroyed (or
// by the server when the connection ends). `what` names it in errors ("the migration lock of
// public.migrations_core on host:port/db").
class Migrator::AdvisoryLock {
 public:
  AdvisoryLock(Connection* conn, std::string key, std::string what)
      : conn_(conn), key_(std::move(key)), what_(std::move(what)) {}
  ~AdvisoryLock() {
    if (held_) (void)conn_->Exec("SELECT pg_advisory_unlock($1::bigint)", {key_});
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

  Status Acquire(int64_t timeout_ms) {
    if (timeout_ms <= 0) {
      STRATA_ASSIGN_OR_RETURN(QueryResult r,
                              conn_->Exec("SELECT pg_try_advisory_lock($1::bigint)", {key_}));
      if (r.rows[0][0] != "t") return Busy("is held by another run");
      held_ = true;
      return Status::Ok();
    }
    STRATA_RETURN_IF_ERROR(conn_->Exec("SELECT set_config('lock_timeout', $1, false)",
                                       {std::to_string(timeout_ms)})
                               .status());
    Result<QueryResult> r = conn_->Exec("SELECT pg_advisory_lock($1::bigint)", {key_});
    const std::string sqlstate = conn_->last_sqlstate();
    STRATA_RETURN_IF_ERROR(conn_->ExecScript("RESET lock_timeout"));
    if (!r.ok()) {
      if (sqlstate == "55P03") {
        return Busy(fmt::format("was still held by another run after {} s", timeout_ms / 1000.0));
      }
      return r.status();
    }
    held_ = true;
    return Status::Ok();
  }

 private:
  Status Busy(const std::string& how) {
    return Status::FailedPrecondition(fmt::format(
        "{} {}; wait for that run to finish (or raise --lock-timeout)", what_, how));
  }

  Connection* conn_;
  std::string key_;
  std::string what_;
  bool held_ = false;
};

// ---- run -----------------------------------------------------------------------------------

Migrator::Migrator(Connection* conn, common::ProcessRunner* runner, ChildSetup children,
                   MigratorOptions options, MigrationHooks hooks)
    : conn_(conn),
      runner_(runner),
      children_(std::move(children)),
      options_(std::move(options)),
      hooks_(std::move(hooks)) {}

Result<TrackPlan> Migrator::PlanOne(const MigrationTrack& track) {
  HistoryTable table(options_.history_schema, track.name);
  STRATA_ASSIGN_OR_RETURN(bool exists, table.Exists(*conn_));
  std::vector<AppliedMigration> applied;
  if (exists) {
    STRATA_ASSIGN_OR_RETURN(applied, table.Read(*conn_));
  }
  return PlanTrack(track, std::move(table), exists, applied);
}

Result<std::vector<TrackPlan>> Migrator::Plan(const std::vector<MigrationTrack>& tracks) {
  std::vector<TrackPlan> plans;
  for (const MigrationTrack& t : tracks) {
    STRATA_ASSIGN_OR_RETURN(TrackPlan p, PlanOne(t));
    plans.push_back(std::move(p));
  }
  return plans;
}

RunReport Migrator::Run(const std::vector<MigrationTrack>& tracks, const RunObserver& observer) {
  RunReport report;
  // Refuse before anything runs when any track would refuse; each track checks again under
  // its lock, since another run may have applied something meanwhile.
  Result<std::vector<TrackPlan>> before = Plan(tracks);
  if (!before.ok()) {
    report.status = before.status();
    return report;
  }
  report.status = CheckRunnable(*before, options_.allow_out_of_order);
  if (!report.status.ok()) {
    report.plans = std::move(before).value();
    return report;
  }
  // A track whose recording failed (a hook error: its migration stays applied and is recorded
  // as recovered next time) does not hold up the other tracks; a failed migration stops the
  // run. The report keeps the first failure.
  for (const MigrationTrack& t : tracks) {
    recording_failed_ = false;
    Status s = RunTrack(t, observer, &report);
    if (s.ok()) continue;
    if (report.status.ok()) report.status = s;
    if (!recording_failed_) break;
  }
  return report;
}

Status Migrator::RunTrack(const MigrationTrack& track, const RunObserver& observer,
                          RunReport* report) {
  HistoryTable table(options_.history_schema, track.name);
  AdvisoryLock lock(conn_, std::to_string(table.LockKey()),
                    fmt::format("the migration lock of {} on {}", table.DisplayName(),
                                conn_->description()));
  STRATA_RETURN_IF_ERROR(lock.Acquire(options_.lock_timeout_ms));
  STRATA_RETURN_IF_ERROR(table.CreateIfMissing(*conn_));
  STRATA_ASSIGN_OR_RETURN(std::vector<AppliedMigration> applied, table.Read(*conn_));
  report->plans.push_back(PlanTrack(track, table, true, applied));
  const TrackPlan& plan = report->plans.back();
  if (observer.on_track) observer.on_track(plan);
  if (hooks_.on_locked) {
    Status s = hooks_.on_locked(*conn_, applied);
    if (!s.ok()) {
      recording_failed_ = true;
      return s.WithContext(fmt::format("track {}", track.name));
    }
  }
  STRATA_RETURN_IF_ERROR(CheckRunnable({plan}, options_.allow_out_of_order));
  const std::vector<const PlannedMigration*> to_run = plan.ToRun();
  if (to_run.empty()) return Status::Ok();
  // One track at a time applies migrations on a database, so that whatever changes in the
  // catalog between a migration's before_each and after_each is that migration's doing.
  AdvisoryLock applying(conn_, ApplyLockKey(),
                        fmt::format("the apply lock of {} (one track applies migrations at a "
                                    "time)",
                                    conn_->description()));
  STRATA_RETURN_IF_ERROR(applying.Acquire(options_.lock_timeout_ms));
  for (const PlannedMigration* m : to_run) {
    STRATA_RETURN_IF_ERROR(ApplyOne(*m, plan.table, observer, report));
  }
  return Status::Ok();
}

Status Migrator::ApplyOne(const PlannedMigration& m, const HistoryTable& table,
                          const RunObserver& observer, RunReport* report) {
  const MigrationFile& file = *m.file;
  const std::string& name = file.name.stem;
  auto fail = [&](FailureStage stage, int exit_code, std::string output, Status status) {
    if (!report->failed) report->failed = FailedMigration{&file, stage, exit_code, std::move(output)};
    recording_failed_ = stage == FailureStage::kHook;
    return status;
  };
  if (observer.on_start) observer.on_start(file);
  const MigrationVariables vars = VariablesFor(file, options_.execution_id);
  STRATA_ASSIGN_OR_RETURN(std::optional<ValidationOutcome> validation,
                          RunValidation(*runner_, children_, file, vars));
  if (validation) {
    if (observer.on_validated) observer.on_validated(file, *validation);
    if (!validation->passed) {
      return fail(FailureStage::kValidation, validation->exit_code, validation->output,
                  Status::FailedPrecondition(fmt::format(
                      "validation script {} blocked {} (exit {}{}); it was not applied",
                      file.validation->path, name, validation->exit_code,
                      validation->exit_code == 0 ? ", printed rows" : "")));
    }
  }
  if (hooks_.before_each) {
    Status s = hooks_.before_each(*conn_, file);
    if (!s.ok()) return fail(FailureStage::kHook, 0, "", s);
  }
  // No-transaction migrations are timed from here by the server, to fill execution_time_ms.
  std::string started;
  if (file.no_transaction) {
    STRATA_ASSIGN_OR_RETURN(QueryResult r, conn_->Exec("SELECT clock_timestamp()::text"));
    started = *r.rows[0][0];
  }
  std::string psql_reason;
  STRATA_ASSIGN_OR_RETURN(
      common::ProcessResult r,
      Execute(file, vars, table.InsertInTransactionSql(name, file.sha256_hex), &psql_reason));
  const bool by_psql = !psql_reason.empty();
  if (r.exit_code != 0) {
    return fail(FailureStage::kMigration, r.exit_code, r.output,
                Status::FailedPrecondition(fmt::format(
                    "migration {} failed ({}); {}", file.path,
                    by_psql ? fmt::format("psql exit {}", r.exit_code)
                            : (r.exit_code == 2 ? "its connection was lost" : "a statement failed"),
                    file.no_transaction
                        ? "it ran without a transaction (strata:no-transaction), so statements "
                          "before the failing one stay applied (except those of a transaction "
                          "block of its own still open at the failure, which psql rolled "
                          "back); it was not recorded, and later migrations were not run"
                        : "it was rolled back, and later migrations were not run")));
  }
  if (file.no_transaction) {
    Result<QueryResult> elapsed = conn_->Exec(
        "SELECT round(extract(epoch FROM clock_timestamp() - $1::timestamptz) * 1000)::bigint",
        {started});
    Status s = elapsed.status();
    if (s.ok()) s = table.Insert(*conn_, name, file.sha256_hex, std::stoll(*elapsed->rows[0][0]));
    if (!s.ok()) {
      return fail(FailureStage::kRecording, 0, r.output,
                  s.WithContext(fmt::format("{} was applied (without a transaction) but is not "
                                            "recorded; insert its row into {} by hand",
                                            name, table.DisplayName())));
    }
  }
  Result<AppliedMigration> row = table.ReadOne(*conn_, name);
  if (!row.ok()) return fail(FailureStage::kRecording, 0, r.output, row.status());
  report->applied.push_back({&file, *row, r.output, validation, psql_reason});
  if (observer.on_applied) observer.on_applied(report->applied.back());
  if (hooks_.after_each) {
    Status s = hooks_.after_each(*conn_, file, *row);
    if (!s.ok()) return fail(FailureStage::kHook, 0, "", s.WithContext(name + " is applied"));
  }
  return Status::Ok();
}

Result<common::ProcessResult> Migrator::Execute(const MigrationFile& file,
                                               const MigrationVariables& vars,
                                               const std::string& history_insert_sql,
                                               std::string* psql_reason) {
  *psql_reason = "--with-psql";
  if (options_.session_conninfo) {
    std::ifstream in(file.path, std::ios::binary);
    std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return Status::IoError(fmt::format("cannot read {}", file.path));
    }
    if (Sha256Hex(sql) != file.sha256_hex) {
      return Status::FailedPrecondition(fmt::format(
          "{} changed after this run read it; nothing of it was applied; run again", file.path));
    }
    const SqlSplit split = SplitMigrationSql(sql);
    *psql_reason = fmt::format("line {}: {}", split.psql_line, split.psql_reason);
    if (split.psql_line == 0) {
      if (session_ == nullptr) {
        STRATA_ASSIGN_OR_RETURN(session_, MigrationSession::Open(*options_.session_conninfo));
      }
      *psql_reason = "the server has standard_conforming_strings off";
      if (session_->splits_like_psql()) {
        psql_reason->clear();
        Result<SessionOutcome> o =
            session_->Run(file.path, sql, split, !file.no_transaction, history_insert_sql);
        if (!o.ok()) {
          // Lost in the middle, as psql's exit 2 would say; the next migration reconnects.
          session_.reset();
          return common::ProcessResult{2, o.status().message() + "\n", ""};
        }
        return common::ProcessResult{o->exit_code, std::move(o->output), ""};
      }
    }
  }
  return runner_->Run(MigrationRequest(children_, file, vars, history_insert_sql));
}

Result<std::vector<Migrator::Validation>> Migrator::Validate(const std::vector<TrackPlan>& plans,
                                                             bool all) {
  std::vector<Validation> out;
  for (const TrackPlan& plan : plans) {
    for (const PlannedMigration& m : plan.migrations) {
      Validation v{&m, std::nullopt};
      const bool pending =
          m.state == MigrationState::kPending || m.state == MigrationState::kOutOfOrder;
      if (all || pending) {
        STRATA_ASSIGN_OR_RETURN(
            v.outcome, RunValidation(*runner_, children_, *m.file,
                                     VariablesFor(*m.file, options_.execution_id)));
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace strata::postgres
