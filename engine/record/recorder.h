// Recorder: the one path by which a commit is written to the log, whatever store holds it
// (engine/store/log_store.h). A caller reads the head and the recorded state there (Read), makes
// a Draft against it, and Append records the draft only if it applies to the state there and
// the store creates entry head+1 (its conditional append). So every commit it acknowledges
// replays, and two writers racing never record one change twice: the second gets Conflict and
// recomputes (Record does that in a loop, under the rebase rules of docs/team-log.md). A write
// whose reply was lost is recognised as the writer's own by the hash of its bytes.
// Not thread-safe: one Recorder per thread; any number of Recorders, in any number of
// processes, may share a log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/log/log.h"
#include "engine/record/draft.h"
#include "engine/sign/commit_signature.h"
#include "engine/status.h"
#include "engine/store/commit_store.h"
#include "engine/store/log_store.h"
#include "proto/commit.pb.h"

namespace strata::record {

struct RecorderOptions {
  // The store commits go to. Unset: the log directory `log_dir` (a LocalLogStore over `env`,
  // waiting lock_wait_ms for its lock).
  std::shared_ptr<LogStore> store;
  Env* env = nullptr;
  std::string log_dir;
  // The index of the log directory used to read the state at the head; empty: replay the whole
  // log from the store instead.
  std::string index_path;
  LogOptions log;
  pb::Actor actor;  // stamped on every commit (plus a draft's cloud principal)
  std::function<int64_t()> now_micros;  // wall clock, read under the writer lock
  std::function<int64_t()> steady_ms;   // for waiting
  std::function<void(int64_t ms)> sleep_ms;
  std::function<uint64_t()> random;  // jitter for rebase backoff
  int64_t lock_wait_ms = 30000;  // how long Append waits for the log directory's lock
  int max_rebases = 50;          // Record(): how many times it recomputes after a Conflict
  // One line for people: waiting for the lock, torn tail cut, witness missing or behind.
  std::function<void(const std::string&)> note;
  // Progress of bringing the index up to date (IndexOptions::progress).
  std::function<void(uint64_t, uint64_t)> index_progress;
  // Signs every commit (docs/signing.md); unset: commits are recorded unsigned. Asked again on
  // every attempt of a Record, since a rebase changes seq and prev_hash and so the bytes.
  std::shared_ptr<sign::Signer> signer;
  // Called once for each commit Append or Record returns, as soon as it is durable (the log
  // directory synced it, or the shared store acknowledged it), before the caller goes on: a
  // process killed after this call has a commit the log keeps.
  std::function<void(const StoredCommit&)> acknowledged;
};

// What a draft is computed against: the head and the whole recorded state there.
struct HeadState {
  Head head;
  int64_t time_unix_micros = 0;      // of the head commit (0 for an empty log)
  const pb::State* state = nullptr;  // valid until the next Recorder call
};

class Recorder {
 public:
  // Without a store: creates `log_dir` when missing. InvalidArgument when neither a store nor
  // env and log_dir are given, or one of the clock, sleep and random functions is missing.
  static Result<std::unique_ptr<Recorder>> Open(RecorderOptions options);

  // The log's current head and its state: from the index (checkpoint + replay), or advanced
  // from the cached state by the few commits appended since it was read. Cached between calls
  // and advanced by this recorder's own appends. Corruption for a damaged log.
  Result<HeadState> Read();

  // The store commits go to: for callers that read the log as the recorder writes it (a shared
  // store's entries may be newer than any local copy of them).
  LogStore& store() const { return *store_; }

  // Appends `draft` if and only if the log's head is still `expected` (seq and hash): the store
  // creates entry expected.seq+1 only if it is absent (the log directory under its lock, waiting
  // up to lock_wait_ms, with a note when it has to wait; FailedPrecondition naming the wait and
  // what to do when it times out). Conflict when the head moved. When the store answers
  // Conflict or Unavailable, the entries from that seq to the head are compared with the bytes
  // written: a match is this append, acknowledged once (the reply was lost). Unavailable, with
  // what to do, when the outcome cannot be known because the store cannot be read.
  // FailedPrecondition naming where, with nothing written, when the log moved (a relocation
  // commit, Draft::Relocate, is in it). InvalidArgument, with nothing written, when the draft is empty, a deployment or tag names a
  // seq after the head, or the commit does not apply to the state at the head. Sets seq,
  // prev_hash, actor, and time = max(the draft's time or else now_micros(), head's time) so
  // times never go backwards. With a signer, the signature over those bytes is appended as the
  // commit's last field; the signer's error, with nothing written, when it cannot sign.
  // Returns once the commit is durable and the head witness names it.
  Result<StoredCommit> Append(const Head& expected, Draft draft);

  // Read, make, Append; on Conflict: back off (short, jittered), Read again, make again, at
  // most max_rebases times, then Conflict. `make` returns nullopt (or an empty draft) when there
  // is nothing to record against that head: Record then returns nullopt and writes nothing.
  // Facts (a deployment, a tag, a migration that ran) are made again unchanged; intents
  // (generate, import, drop) are recomputed from the new head's state, and refused (Conflict
  // naming the commit, its author and the object) when a commit appended since the first
  // attempt touched an object the recomputed draft touches. Every attempt's bytes are
  // remembered, so a lost reply of any attempt is recognised (Append).
  using Maker = std::function<Result<std::optional<Draft>>(const HeadState&)>;
  Result<std::optional<StoredCommit>> Record(const Maker& make);

  // The recorder's clock (RecorderOptions::now_micros), for a caller that notes when something
  // happened and records it later (Draft::set_time).
  int64_t Now() const { return options_.now_micros(); }

 private:
  explicit Recorder(RecorderOptions options) : options_(std::move(options)) {}

  HeadState Cached() const { return HeadState{cached_head_, cached_time_, &cached_state_}; }
  // Replaces the cache with the state at the log's head, from the index or a full replay.
  Status Load();
  Status LoadFromIndex();
  Status LoadByReplay();
  // Moves the cache forward over the commits after it, up to `head` (or past it).
  Status Advance(const Head& head);
  // Applies the store's commits after cached_head_ to the cached state, moving cached_head_ and
  // cached_time_ along with them.
  Status ApplyForward();
  // Append, remembering the hash of the bytes written in `tried` (every attempt of a Record).
  Result<StoredCommit> AppendTracked(const Head& expected, Draft draft, std::vector<Hash>* tried);
  // The entry from `seq` to the head whose hash is one of `tried`; nullopt when none is.
  Result<std::optional<StoredCommit>> FindOwn(uint64_t seq, const std::vector<Hash>& tried);
  // Conflict naming the first commit after `since` (up to the head in `at`) that touched an
  // object `draft` touches; Ok when none did.
  Status CheckIntentRebase(const Head& since, const HeadState& at, const pb::Commit& draft);
  // InvalidArgument for a draft that cannot be recorded at a head of seq `head_seq` whatever the
  // state: empty, or naming a later seq.
  Status CheckDraft(const pb::Commit& commit, uint64_t head_seq) const;
  void Note(const std::string& line) const;
  // Passes a durable commit to options_.acknowledged and returns it.
  StoredCommit Acknowledge(StoredCommit c) const;
  void Backoff(int attempt) const;
  // Conflict "the log's head moved from seq A to seq B" after the store refused entry A+1.
  Status MovedFrom(const Head& expected, const Status& refusal);
  // Remembers that the log moved when `c` is a relocation commit.
  void NoteRelocation(const pb::Commit& c);
  // Signs the serialized commit: appends the signature field to `payload` and sets it on
  // `commit`. The signer's error when it cannot sign.
  Status Sign(pb::Commit* commit, std::string* payload);
  // Draws the writer nonce of a recording (shared stores only).
  void NewNonce();
  // Sets store_: the given store, or the log directory's.
  Status OpenOwnStore();

  RecorderOptions options_;
  std::shared_ptr<LogStore> store_;  // options_.store, or the log directory's
  bool cached_ = false;
  Head cached_head_;
  int64_t cached_time_ = 0;
  // The wait for the log directory's lock during the current append: since when (-1: not
  // waiting), and whether it was said.
  std::string nonce_;  // the current recording's writer nonce
  int64_t lock_wait_start_ = -1;
  bool lock_waiting_ = false;
  pb::State cached_state_;
  // The relocation commit among the cached commits (0: none): the log moved to moved_to_, and
  // Append refuses every further commit.
  uint64_t moved_seq_ = 0;
  std::string moved_to_;
};

}  // namespace strata::record
