#include "adapters/postgres/capture.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "adapters/postgres/backend.h"
#include "adapters/postgres/introspect.h"
#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"

namespace strata::postgres {
namespace {

Result<std::string> ReadSql(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return Status::IoError(fmt::format("{}: cannot read the migration to record its SQL", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool SameEvent(const pb::Event& a, const pb::Event& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

bool Holds(const std::vector<pb::Event>& events, const pb::Event& e) {
  return std::any_of(events.begin(), events.end(),
                     [&e](const pb::Event& x) { return SameEvent(x, e); });
}

// Whether `events` apply to the recorded schema, i.e. the database matched the log before the
// migration that caused them.
bool AppliesTo(const pb::SchemaState& recorded, const std::string& schema,
               const std::vector<pb::Event>& events) {
  pb::State probe;
  (*probe.mutable_schemas())[schema] = recorded;
  pb::Commit trial;
  trial.set_schema(schema);
  trial.set_engine(pb::ENGINE_POSTGRES);
  for (const auto& e : events) *trial.add_events() = e;
  return ApplyCommit(trial, &probe, OnFailure::kDiscard).ok();
}

Result<std::optional<record::Draft>> Decided(record::Draft draft) {
  return std::optional<record::Draft>(std::move(draft));
}

pb::Deployment Deployed(const std::string& database, uint64_t refers_to, uint64_t head,
                        const AppliedMigration& row) {
  pb::Deployment d;
  d.set_target(database);
  d.set_refers_to_seq(refers_to);
  d.set_to_seq(head);
  d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
  d.set_duration_ms(row.execution_time_ms.value_or(0));
  return d;
}

}  // namespace

Result<std::unique_ptr<MigrationCapture>> MigrationCapture::Open(record::Recorder& recorder,
                                                                 CaptureOptions options) {
  if (options.env == nullptr || options.log_dir.empty() || options.schema.empty()) {
    return Status::Internal("MigrationCapture::Open: env, log_dir and schema are required");
  }
  std::unique_ptr<MigrationCapture> c(new MigrationCapture(recorder, std::move(options)));
  STRATA_ASSIGN_OR_RETURN(record::HeadState at, recorder.Read());
  STRATA_RETURN_IF_ERROR(c->CatchUp(at.head));
  return c;
}

MigrationHooks MigrationCapture::Hooks() {
  MigrationHooks h;
  h.on_locked = [this](Connection& conn, const std::vector<AppliedMigration>& rows) {
    return OnLocked(conn, rows);
  };
  h.before_each = [this](Connection& conn, const MigrationFile& file) {
    return Before(conn, file);
  };
  h.after_each = [this](Connection& conn, const MigrationFile& file, const AppliedMigration& row) {
    return After(conn, file, row);
  };
  return h;
}

void MigrationCapture::Note(const std::string& line) const {
  if (options_.note) options_.note(line);
}

IntrospectOptions MigrationCapture::Introspection() const {
  IntrospectOptions o;
  o.warn = options_.note;
  return o;
}

// ---- what the log knows ----------------------------------------------------------------

Status MigrationCapture::CatchUp(const Head& head) {
  if (head.seq == seen_.seq && head.hash == seen_.hash) return Status::Ok();
  if (head.seq < seen_.seq) {
    // Not an append-only history any more (a log restored from a copy): read it all again.
    known_.clear();
    stem_of_.clear();
    seen_ = Head();
  }
  if (recorder_.store().shared()) {
    // A shared log: its entries come from the store, which holds every commit up to `head`
    // (the checkout's local mirror may not have the newest yet, and its positions are its own).
    Status s = ScanStore(recorder_.store(), Head{seen_.seq, seen_.hash, std::nullopt}, 512,
                         [&](const LogEntry& e, const pb::Commit& c) -> Status {
                           if (e.seq > head.seq) return Status::Aborted("past the head");
                           Fold(StoredCommit{c, e.hash, RecordPosition{}, e.payload.size(), {}});
                           return Status::Ok();
                         });
    if (s.code() == Code::kAborted) s = Status::Ok();
    return s.WithContext("reading the log's migrations");
  }
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  CommitScanOptions scan;
  if (seen_.seq > 0) scan.after = seen_;
  scan.until_seq = head.seq;
  Status s = reader->Scan(scan, [this](const ScannedCommit& c) {
    Fold(c);
    return Status::Ok();
  });
  return s.WithContext("reading the log's migrations");
}

void MigrationCapture::Fold(const ScannedCommit& c) {
  seen_ = Head{c.commit.seq(), c.hash, c.position};
  if (c.commit.schema() != options_.schema) return;
  const pb::MigrationBody& m = c.commit.migration();
  if (c.commit.has_migration() && !m.name().empty() && !c.commit.has_deployment()) {
    Known& k = known_[m.name()];
    if (k.seq == 0) {
      k.seq = c.commit.seq();
      k.events.assign(c.commit.events().begin(), c.commit.events().end());
      stem_of_[k.seq] = m.name();
    }
    k.databases.insert(m.database());
  }
  if (c.commit.has_deployment() && c.commit.deployment().refers_to_seq() != 0) {
    auto it = stem_of_.find(c.commit.deployment().refers_to_seq());
    if (it != stem_of_.end()) known_[it->second].databases.insert(c.commit.deployment().target());
  }
}

// Whether this database has applied every migration the log knows for the schema: only then
// is the log's state this database's state, so that a difference between them is something
// the log lacks (another database may be ahead of this one in the log, which is no drift).
bool MigrationCapture::AllKnownHere() const {
  return std::all_of(known_.begin(), known_.end(), [this](const auto& k) {
    return k.second.databases.count(options_.database) > 0;
  });
}

bool MigrationCapture::KnownHere(const std::string& stem) const {
  auto it = known_.find(stem);
  return it != known_.end() && it->second.databases.count(options_.database) > 0;
}

Result<std::optional<StoredCommit>> MigrationCapture::Record(const Decide& decide) {
  static const pb::SchemaState kNothingRecorded;
  auto stored = recorder_.Record(
      [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
        // Decided against this head: what another writer appended since is folded in first.
        STRATA_RETURN_IF_ERROR(CatchUp(at.head));
        auto it = at.state->schemas().find(options_.schema);
        return decide(it == at.state->schemas().end() ? kNothingRecorded : it->second, at);
      });
  if (!stored.ok()) return stored.status().WithContext("recording the migration in the log");
  if (*stored) Fold(**stored);  // it follows the head the maker caught up with
  return stored;
}

const MigrationFile* MigrationCapture::FindFile(const std::string& stem) const {
  if (options_.tracks == nullptr) return nullptr;
  for (const auto& t : *options_.tracks) {
    for (const auto& m : t.migrations) {
      if (m.name.stem == stem) return &m;
    }
  }
  return nullptr;
}

std::string MigrationCapture::Drift(const std::vector<pb::Event>& recorded,
                                    const std::vector<pb::Event>& now) const {
  if (recorded.size() == now.size() &&
      std::equal(recorded.begin(), recorded.end(), now.begin(), SameEvent)) {
    return "";
  }
  const backend::Backend& describe = TheBackend();
  auto text = [&describe](const pb::Event& e) {
    const std::vector<std::string> objects = TouchedObjects(e, pb::SchemaState());
    return fmt::format("{} {}", objects.empty() ? "" : objects.front(),
                       describe.DescribeChange(e).text);
  };
  std::string out = fmt::format("recorded {} change{}, here {}:", recorded.size(),
                                recorded.size() == 1 ? "" : "s", now.size());
  for (const auto& e : recorded) {
    if (!Holds(now, e)) out += fmt::format(" missing here: {};", text(e));
  }
  for (const auto& e : now) {
    if (!Holds(recorded, e)) out += fmt::format(" only here: {};", text(e));
  }
  if (out.back() == ';') out.pop_back();
  return out;
}

// ---- the hooks -------------------------------------------------------------------------

Status MigrationCapture::OnLocked(Connection& conn, const std::vector<AppliedMigration>& rows) {
  // Under the track's advisory lock nobody else records this track on this database: catch up
  // with the log as it is now, so rows another run just recorded are not taken for missing.
  STRATA_ASSIGN_OR_RETURN(record::HeadState at, recorder_.Read());
  STRATA_RETURN_IF_ERROR(CatchUp(at.head));
  catalog_.Reset();  // the lock was free before this track: anything may have changed
  std::optional<pb::SchemaState> live;
  for (const AppliedMigration& row : rows) {
    if (KnownHere(row.name)) continue;
    if (!live) {
      STRATA_ASSIGN_OR_RETURN(live, IntrospectState(conn, Introspection()));
    }
    STRATA_RETURN_IF_ERROR(RecordRecovered(row, *live));
  }
  return Status::Ok();
}

// A row applied to this database but missing from the log. The first such migration carries
// whatever the log lacks of the live schema; one the log holds for another database becomes a
// recovered deployment.
Status MigrationCapture::RecordRecovered(const AppliedMigration& row,
                                         const pb::SchemaState& live) {
  Recorded r{0, row.name, "recovered", 0, ""};
  pb::MigrationBody body;
  body.set_name(row.name);
  if (const MigrationFile* f = FindFile(row.name)) {
    body.set_track(f->name.track);
    STRATA_ASSIGN_OR_RETURN(std::string sql, ReadSql(f->path));
    body.set_sql(std::move(sql));
  }
  body.set_checksum_sha256(row.hash.size() == 64 ? row.hash : "");
  body.set_duration_ms(row.execution_time_ms.value_or(0));
  body.set_database(options_.database);
  const std::string& schema = options_.schema;
  const std::string& database = options_.database;
  STRATA_ASSIGN_OR_RETURN(
      std::optional<StoredCommit> stored,
      Record([&](const pb::SchemaState& recorded,
                 const record::HeadState& at) -> Result<std::optional<record::Draft>> {
        if (KnownHere(row.name)) return std::optional<record::Draft>();  // recorded meanwhile
        auto known = known_.find(row.name);
        if (known == known_.end()) {
          STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> carried, Diff(recorded, live));
          r.events = carried.size();
          return Decided(record::Draft::Recovered(
              schema, body, std::move(carried),
              fmt::format("recovered {}: applied to {} at {} but missing from the log", row.name,
                          database, row.applied_at)));
        }
        r.events = 0;
        pb::Deployment d = Deployed(database, known->second.seq, at.head.seq, row);
        d.set_detail("recovered: applied before this run, missing from the log");
        return Decided(record::Draft::MigrationDeploy(
            schema, body, std::move(d),
            fmt::format("recovered deployment of {} to {}", row.name, database),
            pb::ORIGIN_RECOVERED));
      }));
  if (!stored) return Status::Ok();
  r.seq = stored->commit.seq();
  Note(fmt::format("note: recorded {} as commit {} (applied to {} but missing from the log)",
                   row.name, r.seq, database));
  recorded_.push_back(std::move(r));
  return Status::Ok();
}

Status MigrationCapture::Before(Connection& conn, const MigrationFile&) {
  // Within a run (which holds the lock) the model after the previous migration is this one's
  // before-state; the first migration of a track reads the catalog whole.
  const bool fresh = !catalog_.has_model();
  STRATA_RETURN_IF_ERROR(catalog_.Begin(conn));
  before_read_.reset();
  if (fresh) before_read_ = catalog_.model();
  capturing_ = true;
  return Status::Ok();
}

// Brings the catalog model up to date with what `file` changed, and says when that took a
// read of the whole catalog.
Status MigrationCapture::CaptureAfter(Connection& conn,
                                                       const MigrationFile& file) {
  STRATA_RETURN_IF_ERROR(catalog_.Finish(conn));
  if (catalog_.stats().full) {
    Note(fmt::format("note: read the whole catalog after {} ({})", file.name.stem,
                     catalog_.stats().full_reason));
  }
  return Status::Ok();
}

Status MigrationCapture::After(Connection& conn, const MigrationFile& file,
                               const AppliedMigration& row) {
  if (!capturing_) return Status::Internal("migration captured without a before state");
  capturing_ = false;
  // The commit's time: when the migration finished, not when its capture was recorded.
  const int64_t finished = recorder_.Now();
  STRATA_RETURN_IF_ERROR(CaptureAfter(conn, file));
  // The model after the migration stays in catalog_ until the next one; it is copied into a
  // state only on the rare paths that diff the log against it. The migration's events come
  // from the parts of the model it changed.
  const pb::PostgresSchema& after = catalog_.model();
  const std::optional<IncrementalCapture::Change> change = catalog_.last_change();
  if (!change) return Status::Internal("a migration's capture left no change to diff");
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> captured,
                          MigrationEvents({change->before, change->before_identity},
                                          {change->after, change->after_identity}));
  const std::optional<pb::PostgresSchema> before_read = std::move(before_read_);
  before_read_.reset();

  pb::MigrationBody body;
  body.set_name(file.name.stem);
  body.set_track(file.name.track);
  body.set_checksum_sha256(file.sha256_hex);
  body.set_duration_ms(row.execution_time_ms.value_or(0));
  body.set_database(options_.database);
  STRATA_ASSIGN_OR_RETURN(std::string sql, ReadSql(file.path));
  const std::string& schema = options_.schema;
  const std::string& database = options_.database;
  Recorded r{0, file.name.stem, "", captured.size(), ""};
  STRATA_ASSIGN_OR_RETURN(
      std::optional<StoredCommit> stored,
      Record([&](const pb::SchemaState& recorded,
                 const record::HeadState& at) -> Result<std::optional<record::Draft>> {
        r.drift.clear();
        auto known = known_.find(file.name.stem);
        if (known == known_.end()) {
          // First time anywhere: the typed events and the SQL.
          r.kind = "migration";
          std::vector<pb::Event> events = captured;
          if (before_read && AllKnownHere()) {
            // The database may hold what the log lacks (a no-transaction migration that
            // failed half-way before this run, a change made by hand): the commit records
            // that first, so the log reaches the database's state after this migration.
            STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> lacking,
                                    Diff(recorded, AsSchemaState(*before_read)));
            if (!lacking.empty()) {
              r.drift = fmt::format(
                  "the database held {} change{} the log lacked before this migration (a "
                  "no-transaction migration that failed part-way, or a change made outside "
                  "strata); the commit records them first",
                  lacking.size(), lacking.size() == 1 ? "" : "s");
              for (auto& e : events) lacking.push_back(std::move(e));
              events = std::move(lacking);
            }
          }
          if (!AppliesTo(recorded, schema, events)) {
            // The database did not match the log before this migration: record what brings
            // the log to the database's state now, and say so.
            STRATA_ASSIGN_OR_RETURN(events, Diff(recorded, AsSchemaState(after)));
            r.drift =
                "the database differed from the log before this migration; the commit holds "
                "the changes that bring the log to the database's state";
          }
          r.events = events.size();
          pb::MigrationBody first = body;
          first.set_sql(sql);
          record::Draft draft = record::Draft::Migrate(
              schema, std::move(first), std::move(events),
              fmt::format("migrate {} ({} track)", file.name.stem, file.name.track));
          draft.set_time(finished);
          return Decided(std::move(draft));
        }
        // Applied elsewhere first: a deployment that refers to that commit, checked for drift.
        r.kind = "deployment";
        r.events = captured.size();
        r.drift = Drift(known->second.events, captured);
        pb::Deployment d = Deployed(database, known->second.seq, at.head.seq, row);
        if (!r.drift.empty()) d.set_detail("drift: " + r.drift);
        record::Draft draft = record::Draft::MigrationDeploy(
            schema, body, std::move(d), fmt::format("deploy {} to {}", file.name.stem, database));
        draft.set_time(finished);
        return Decided(std::move(draft));
      }));
  if (!stored) return Status::Internal("a captured migration was not recorded");
  r.seq = stored->commit.seq();
  if (!r.drift.empty()) {
    Note(fmt::format("warning: drift in {} on {}: {}", file.name.stem, database, r.drift));
  }
  recorded_.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace strata::postgres
