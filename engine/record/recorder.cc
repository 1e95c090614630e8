// Recorder: the state at the head is cached (it can be a large schema, and a migration run
// records one commit per migration), so an append whose head did not move costs one apply of
// the draft onto the cache plus the append itself. The writer lock is taken for the append
// alone: the state is read before it, and the only work under it is the head comparison, the
// apply and the append.
#include "engine/record/recorder.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/index/index.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"
#include "engine/store/local_log_store.h"

namespace strata::record {
namespace {

// How often a writer waiting for the lock tries again.
constexpr int64_t kLockPollMs = 20;
// Beyond this many new commits, the index (checkpoint + replay) is cheaper than a scan from
// the cached head.
constexpr uint64_t kMaxAdvanceCommits = 1000;
// Rebase backoff: from about kBackoffBaseMs, doubling, up to kBackoffCapMs, jittered.
constexpr int64_t kBackoffBaseMs = 2;
constexpr int64_t kBackoffCapMs = 100;
// Entries read from the store per request.
constexpr size_t kReadPage = 256;

bool SameHead(const Head& a, const Head& b) { return a.seq == b.seq && a.hash == b.hash; }

std::string ShortHash(const Head& h) {
  return h.seq == 0 ? "empty" : HashHex(h.hash).substr(0, 12);
}

}  // namespace

Result<std::unique_ptr<Recorder>> Recorder::Open(RecorderOptions options) {
  if (!options.now_micros || !options.steady_ms || !options.sleep_ms || !options.random) {
    return Status::InvalidArgument(
        "recorder: now_micros, steady_ms, sleep_ms and random are required");
  }
  if (options.store == nullptr) {
    if (options.env == nullptr) return Status::InvalidArgument("recorder: no Env");
    if (options.log_dir.empty()) return Status::InvalidArgument("recorder: no log directory");
  }
  std::unique_ptr<Recorder> r(new Recorder(std::move(options)));
  STRATA_RETURN_IF_ERROR(r->OpenOwnStore());
  return r;
}

Status Recorder::OpenOwnStore() {
  if (options_.store != nullptr) {
    store_ = options_.store;
    return Status::Ok();
  }
  LocalLogStoreOptions o;
  o.env = options_.env;
  o.dir = options_.log_dir;
  o.log = options_.log;
  o.note = options_.note;
  // The wait for the directory's lock: polled, with one note, up to lock_wait_ms per append.
  o.on_lock_busy = [this]() -> Status {
    const int64_t now = options_.steady_ms();
    if (lock_wait_start_ < 0) lock_wait_start_ = now;  // the first refusal of this append
    const int64_t waited = now - lock_wait_start_;
    if (waited >= options_.lock_wait_ms) {
      return Status::FailedPrecondition(fmt::format(
          "waited {:.1f} s for another writer to release the log {} (its LOCK is held) and "
          "gave up; nothing was recorded: run this again once the other strata process has "
          "finished",
          static_cast<double>(waited) / 1000.0, options_.log_dir));
    }
    if (!lock_waiting_) {
      Note(fmt::format("waiting for another writer to finish with the log {} ...",
                       options_.log_dir));
      lock_waiting_ = true;
    }
    options_.sleep_ms(std::min(kLockPollMs, options_.lock_wait_ms - waited));
    return Status::Ok();
  };
  STRATA_ASSIGN_OR_RETURN(store_, LocalLogStore::Open(std::move(o)));
  return Status::Ok();
}

void Recorder::Note(const std::string& line) const {
  if (options_.note) options_.note(line);
}

// ---- reading the head --------------------------------------------------------------------

Result<HeadState> Recorder::Read() {
  STRATA_ASSIGN_OR_RETURN(Head head, store_->ReadHead());
  if (cached_ && SameHead(head, cached_head_)) return Cached();
  if (cached_ && head.seq > cached_head_.seq && head.seq - cached_head_.seq <= kMaxAdvanceCommits) {
    if (Advance(head).ok()) return Cached();
    // Whatever went wrong (the log was rewritten under the cache, say), a full load says it.
  }
  STRATA_RETURN_IF_ERROR(Load());
  // The index loaded from may be behind the store: a shared log's local mirror holds what was
  // pulled before other writers appended. Move forward from the store, however far; otherwise
  // every attempt would be made against the same old head and lose again.
  if (head.seq > cached_head_.seq) STRATA_RETURN_IF_ERROR(Advance(head));
  return Cached();
}

Status Recorder::Advance(const Head& head) {
  cached_ = false;  // until the scan below has applied everything
  STRATA_RETURN_IF_ERROR(ApplyForward());
  if (cached_head_.seq < head.seq) {
    return Status::Corruption(fmt::format("the log's head is seq {} but its commits end at {}",
                                          head.seq, cached_head_.seq));
  }
  cached_ = true;
  return Status::Ok();
}

Status Recorder::ApplyForward() {
  return ScanStore(
      *store_, cached_head_, kReadPage, [&](const LogEntry& e, const pb::Commit& c) -> Status {
        STRATA_RETURN_IF_ERROR(ApplyCommit(c, &cached_state_, OnFailure::kDiscard));
        cached_head_ = Head{e.seq, e.hash, std::nullopt};
        cached_time_ = c.time_unix_micros();
        NoteRelocation(c);
        return Status::Ok();
      });
}

void Recorder::NoteRelocation(const pb::Commit& c) {
  if (!c.has_relocation()) return;
  moved_seq_ = c.seq();
  moved_to_ = c.relocation().to();
}

Status Recorder::Load() {
  cached_ = false;
  cached_state_.Clear();
  moved_seq_ = 0;
  moved_to_.clear();
  STRATA_RETURN_IF_ERROR(options_.index_path.empty() || options_.log_dir.empty() ? LoadByReplay()
                                                                              : LoadFromIndex());
  cached_ = true;
  return Status::Ok();
}

Status Recorder::LoadFromIndex() {
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  IndexOptions index_options;
  index_options.progress = options_.index_progress;
  STRATA_ASSIGN_OR_RETURN(auto index,
                          Index::Open(options_.index_path, reader.get(), index_options));
  if (options_.index_progress && index->sync_report().indexed >= 1000) {
    options_.index_progress(index->head_seq(), index->head_seq());
  }
  const Head head = index->head();
  STRATA_ASSIGN_OR_RETURN(cached_state_, index->StateAt(head.seq));
  int64_t time = 0;
  if (head.seq > 0) {
    STRATA_ASSIGN_OR_RETURN(auto summary, index->CommitAt(head.seq));
    if (!summary) {
      return Status::Corruption(fmt::format("the index lacks its head, seq {}", head.seq));
    }
    time = summary->time_unix_micros;
    if (summary->origin == pb::ORIGIN_RELOCATED) {
      STRATA_ASSIGN_OR_RETURN(StoredCommit top, reader->ReadAt(summary->position));
      NoteRelocation(top.commit);
    }
  }
  cached_head_ = head;
  cached_time_ = time;
  return Status::Ok();
}

Status Recorder::LoadByReplay() {
  cached_head_ = Head{};
  cached_time_ = 0;
  return ApplyForward();
}

// ---- appending ---------------------------------------------------------------------------

Status Recorder::CheckDraft(const pb::Commit& c, uint64_t head_seq) const {
  if (c.events_size() == 0 && !c.has_deployment() && !c.has_tag() && !c.has_migration() &&
      !c.has_relocation()) {
    return Status::InvalidArgument(
        "nothing to record: the draft has no events, deployment, tag or migration");
  }
  auto after_head = [&](std::string_view what, uint64_t seq) {
    return Status::InvalidArgument(fmt::format(
        "{} names seq {}, after the log's head (seq {}); nothing was recorded", what, seq,
        head_seq));
  };
  if (c.has_deployment()) {
    const pb::Deployment& d = c.deployment();
    if (d.to_seq() > head_seq) return after_head("the deployment", d.to_seq());
    if (d.from_seq() > head_seq) return after_head("the deployment's starting point", d.from_seq());
    if (d.refers_to_seq() > head_seq) return after_head("the deployment", d.refers_to_seq());
  }
  if (c.has_tag()) {
    if (c.tag().name().empty()) return Status::InvalidArgument("a tag needs a name");
    if (c.tag().target_seq() > head_seq) {
      return after_head(fmt::format("tag \"{}\"", c.tag().name()), c.tag().target_seq());
    }
    if (c.tag().target_seq() == 0 && !c.tag().deleted()) {
      return Status::InvalidArgument(
          fmt::format("tag \"{}\" names seq 0, which is no commit", c.tag().name()));
    }
  }
  return Status::Ok();
}

Result<StoredCommit> Recorder::Append(const Head& expected, Draft draft) {
  NewNonce();
  std::vector<Hash> tried;
  STRATA_ASSIGN_OR_RETURN(StoredCommit stored, AppendTracked(expected, std::move(draft), &tried));
  return Acknowledge(std::move(stored));
}

StoredCommit Recorder::Acknowledge(StoredCommit c) const {
  if (options_.acknowledged) options_.acknowledged(c);
  return c;
}

Result<StoredCommit> Recorder::AppendTracked(const Head& expected, Draft draft,
                                             std::vector<Hash>* tried) {
  pb::Commit commit;
  commit.Swap(&draft.commit_);
  if (!cached_ || !SameHead(cached_head_, expected)) {
    STRATA_ASSIGN_OR_RETURN(HeadState now, Read());
    if (!SameHead(now.head, expected)) {
      return Status::Conflict(fmt::format(
          "the log's head is seq {} ({}), not seq {} ({}) as the change was computed against; "
          "recompute against the new head",
          now.head.seq, ShortHash(now.head), expected.seq, ShortHash(expected)));
    }
  }
  if (moved_seq_ != 0) {
    return Status::FailedPrecondition(fmt::format(
        "this log moved to {} (commit {} of {} says so) and takes no more commits; nothing was "
        "recorded. Update strata.yaml: set `log: {}` and run the command again",
        moved_to_, moved_seq_, store_->Describe(), moved_to_));
  }
  if (Status checked = CheckDraft(commit, expected.seq); !checked.ok()) {
    // A fact made from a newer view of the log than `expected` (a tag naming a seq another
    // process appended after `expected` was read) is a Conflict, recomputed by Record, not an
    // invalid draft.
    auto head = store_->ReadHead();
    if (head.ok() && !SameHead(*head, expected)) {
      return MovedFrom(expected, Status::Conflict("the head moved"));
    }
    return checked;
  }
  // Only a commit that replays is written: applied to the cached state first (all or nothing),
  // which also moves the cache to the new head.
  const uint64_t seq = expected.seq + 1;
  commit.set_seq(seq);
  commit.set_prev_hash(std::string(HashBytes(expected.hash)));
  STRATA_RETURN_IF_ERROR(ValidateCommit(commit));  // before the cache is touched
  Status applied = ApplyCommit(commit, &cached_state_, OnFailure::kRestore);
  if (!applied.ok()) {
    return Status::InvalidArgument(fmt::format(
        "the change does not apply to the recorded state at the log's head (seq {}): {}; "
        "nothing was recorded",
        expected.seq, applied.message()));
  }
  pb::Actor actor = options_.actor;
  if (!commit.actor().cloud_principal().empty()) {
    actor.set_cloud_principal(commit.actor().cloud_principal());
  }
  *commit.mutable_actor() = std::move(actor);
  const int64_t happened = commit.time_unix_micros();
  const int64_t time = std::max(happened != 0 ? happened : options_.now_micros(), cached_time_);
  commit.set_time_unix_micros(time);
  if (store_->shared()) commit.set_writer_nonce(nonce_);
  std::string payload;
  STRATA_RETURN_IF_ERROR(SerializeCommit(commit, &payload));
  if (options_.signer != nullptr) {
    Status signed_ok = Sign(&commit, &payload);
    if (!signed_ok.ok()) {
      cached_ = false;  // the cache holds the draft, which is not recorded
      return signed_ok;
    }
  }
  const Hash hash = Sha256(payload);
  tried->push_back(hash);
  lock_wait_start_ = -1;
  lock_waiting_ = false;
  auto appended = store_->Append(seq, payload);
  if (appended.ok()) {
    cached_head_ = *appended;
    cached_time_ = time;
    NoteRelocation(commit);
    RecordPosition position = appended->position.value_or(RecordPosition{});
    return StoredCommit{std::move(commit), hash, position, payload.size(), {}};
  }
  cached_ = false;  // the cache holds a commit the log may not
  const Code code = appended.status().code();
  if (code != Code::kConflict && code != Code::kUnavailable) return appended.status();
  if (code == Code::kConflict && !store_->shared()) return MovedFrom(expected, appended.status());
  // Taken, or no answer: the entry may be this writer's own (a reply lost after the write, a
  // retry that then found its own first try). Look from the tried seq to the head.
  auto own = FindOwn(seq, *tried);
  if (own.ok() && *own) return std::move(**own);
  if (code == Code::kUnavailable && !own.ok()) {
    return Status::Unavailable(fmt::format(
        "commit {} may or may not be in the log: {} did not answer the append ({}) and could "
        "not be read to find out ({}); nothing more was written. Run `strata verify` once the "
        "store answers, then run the command again (it records nothing twice)",
        seq, store_->Describe(), appended.status().message(), own.status().message()));
  }
  if (!own.ok()) return own.status();
  if (code == Code::kUnavailable) {
    return Status::Conflict(fmt::format(
        "{} did not answer the append of commit {} ({}) and the commit is not in the log; "
        "recompute against the head",
        store_->Describe(), seq, appended.status().message()));
  }
  return MovedFrom(expected, appended.status());
}

Status Recorder::Sign(pb::Commit* commit, std::string* payload) {
  // The signature goes after the bytes it signs, never inside a re-serialization of them.
  STRATA_ASSIGN_OR_RETURN(std::string sshsig,
                          options_.signer->Sign(sign::SignedMessage(*payload)));
  if (Status s = sign::CheckSignatureBlob(sshsig); !s.ok()) {
    return Status::FailedPrecondition(
        fmt::format("the signer returned an unusable signature ({}); nothing was recorded",
                    s.message()));
  }
  payload->append(sign::SignatureField(sshsig));
  commit->mutable_signature()->set_sshsig(std::move(sshsig));
  return Status::Ok();
}

Status Recorder::MovedFrom(const Head& expected, const Status& refusal) {
  auto head = store_->ReadHead();
  if (!head.ok()) return refusal;
  return Status::Conflict(fmt::format(
      "the log's head moved from seq {} ({}) to seq {} ({}) since it was read; recompute "
      "against the new head",
      expected.seq, ShortHash(expected), head->seq, ShortHash(*head)));
}

void Recorder::NewNonce() {
  nonce_.clear();
  for (int i = 0; i < 2; ++i) {
    uint64_t r = options_.random();
    for (int b = 0; b < 8; ++b) nonce_.push_back(static_cast<char>((r >> (8 * b)) & 0xff));
  }
}

Result<std::optional<StoredCommit>> Recorder::FindOwn(uint64_t seq,
                                                      const std::vector<Hash>& tried) {
  if (tried.empty()) return std::optional<StoredCommit>();
  for (uint64_t from = seq;;) {
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> entries, store_->Read(from, kReadPage));
    for (LogEntry& e : entries) {
      if (std::find(tried.begin(), tried.end(), e.hash) == tried.end()) continue;
      StoredCommit c;
      if (!c.commit.ParseFromString(e.payload)) {
        return Status::Corruption(fmt::format("{}: commit {} is not a commit",
                                              store_->Describe(), e.seq));
      }
      c.hash = e.hash;
      c.payload_bytes = e.payload.size();
      Note(fmt::format("the store's answer to commit {} was lost, but the commit is in the log "
                       "(seq {}); recorded once", seq, e.seq));
      return std::optional<StoredCommit>(std::move(c));
    }
    if (entries.size() < kReadPage) return std::optional<StoredCommit>();
    from = entries.back().seq + 1;
  }
}

// ---- the rebase loop ---------------------------------------------------------------------

void Recorder::Backoff(int attempt) const {
  const int64_t cap = std::min(kBackoffCapMs, kBackoffBaseMs << std::min(attempt, 6));
  const auto spread = static_cast<uint64_t>(cap / 2 + 1);
  const int64_t ms = cap / 2 + static_cast<int64_t>(options_.random() % spread);
  options_.sleep_ms(ms);
}

namespace {

// Intents are computed by diffing files against the recorded state; facts say what happened.
bool IsIntent(pb::Origin origin) {
  return origin == pb::ORIGIN_GENERATE || origin == pb::ORIGIN_IMPORT ||
         origin == pb::ORIGIN_DROP;
}

// The top-level objects a commit's events touch in its schema, given the state before it.
std::vector<std::string> ObjectsOf(const pb::Commit& c, const pb::State& state) {
  static const pb::SchemaState kEmpty;
  auto it = state.schemas().find(c.schema());
  const pb::SchemaState& before = it == state.schemas().end() ? kEmpty : it->second;
  std::vector<std::string> out;
  for (const pb::Event& e : c.events()) {
    for (std::string& o : TouchedObjects(e, before)) out.push_back(std::move(o));
  }
  return out;
}

// The same object, or one holding the other ("sales" holds "sales.orders").
bool Overlap(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto pa = ObjectAndParents(a), pb = ObjectAndParents(b);
  return std::find(pa.begin(), pa.end(), b) != pa.end() ||
         std::find(pb.begin(), pb.end(), a) != pb.end();
}

std::string OriginWord(pb::Origin origin) {
  std::string name = pb::Origin_Name(origin);
  if (name.rfind("ORIGIN_", 0) == 0) name = name.substr(7);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return name;
}

}  // namespace

Status Recorder::CheckIntentRebase(const Head& since, const HeadState& at,
                                   const pb::Commit& draft) {
  const std::vector<std::string> mine = ObjectsOf(draft, *at.state);
  if (mine.empty()) return Status::Ok();
  // The commits in between are judged against the state at the new head: a commit that dropped
  // a Glue database is seen by the database's name, which holds every table in it.
  Status found;
  Status scanned = ScanStore(
      *store_, since, kReadPage, [&](const LogEntry& e, const pb::Commit& c) -> Status {
        if (e.seq > at.head.seq) return Status::Aborted("past the head");
        if (c.schema() != draft.schema() || c.events_size() == 0) return Status::Ok();
        for (const std::string& theirs : ObjectsOf(c, *at.state)) {
          for (const std::string& ours : mine) {
            if (!Overlap(ours, theirs)) continue;
            const std::string who = c.actor().email().empty()
                                        ? c.actor().name()
                                        : fmt::format("{} <{}>", c.actor().name(), c.actor().email());
            found = Status::Conflict(fmt::format(
                "commit {} ({} by {}) changed {}:{} after this change was computed against seq "
                "{}; recording it now would undo that change. Nothing was recorded: look at it "
                "(strata show --at {} {}), bring your files up to date with it, and run the "
                "command again",
                e.seq, OriginWord(c.origin()), who.empty() ? "someone" : who, draft.schema(),
                theirs, since.seq, e.seq, theirs));
            return Status::Aborted("found");
          }
        }
        return Status::Ok();
      });
  if (!found.ok()) return found;
  if (!scanned.ok() && scanned.code() != Code::kAborted) return scanned;
  return Status::Ok();
}

Result<std::optional<StoredCommit>> Recorder::Record(const Maker& make) {
  std::vector<Hash> tried;     // every attempt's bytes, to recognise a lost reply of any of them
  std::optional<Head> first;   // the head the first attempt was made against
  NewNonce();                  // one per recording, the same across its rebases
  for (int attempt = 0;; ++attempt) {
    STRATA_ASSIGN_OR_RETURN(HeadState at, Read());
    if (first && store_->shared() && !tried.empty() && at.head.seq > first->seq) {
      // An earlier attempt whose write landed after its look found nothing is ours all the
      // same: recorded once, never again on top of itself.
      STRATA_ASSIGN_OR_RETURN(std::optional<StoredCommit> own, FindOwn(first->seq + 1, tried));
      if (own) return std::optional<StoredCommit>(Acknowledge(std::move(*own)));
    }
    STRATA_ASSIGN_OR_RETURN(std::optional<Draft> draft, make(at));
    if (!draft || draft->empty_change()) return std::optional<StoredCommit>();
    if (first && !SameHead(*first, at.head) && IsIntent(draft->commit().origin())) {
      STRATA_RETURN_IF_ERROR(CheckIntentRebase(*first, at, draft->commit()));
    }
    if (!first) first = at.head;
    const Head expected = at.head;
    auto stored = AppendTracked(expected, std::move(*draft), &tried);
    if (stored.ok()) return std::optional<StoredCommit>(Acknowledge(std::move(stored).value()));
    if (stored.status().code() != Code::kConflict) return stored.status();
    if (attempt >= options_.max_rebases) {
      return Status::Conflict(fmt::format(
          "the log's head kept moving: recomputed {} times and gave up ({})", attempt + 1,
          stored.status().message()));
    }
    // Said once per recording, so people (and tests) can see that it happened.
    if (attempt == 0 && options_.note) {
      options_.note(fmt::format(
          "note: another strata process appended to the log after seq {}; recomputing against "
          "its commits",
          expected.seq));
    }
    Backoff(attempt);
  }
}

}  // namespace strata::record
