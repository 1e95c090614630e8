// Index: a SQLite file derived from the log, for fast history queries and time travel.
//
// It holds commits by seq/time/actor/origin, which objects each commit touched, tags,
// target cursors (from deployment commits) and checkpoints: the full state, one row per
// object, every so many log bytes (spacing grows with the state's size, so checkpoints never
// outweigh the log). Deleting the file loses nothing: Open rebuilds it, and brings a stale
// one up to date (or rebuilds it when it disagrees with the log). Not thread-safe; several
// processes may open the same file (SQLite locking).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>

#include "engine/index/state_parts.h"
#include "engine/status.h"
#include "engine/store/commit_store.h"
#include "proto/commit.pb.h"

struct sqlite3;

namespace strata {

struct IndexOptions {
  // A checkpoint is written once the log has grown by max(min_spacing, ratio x the size of
  // the previous checkpoint) bytes since the last one, so all checkpoints together take at
  // most about log size / ratio.
  uint64_t min_checkpoint_spacing_bytes = 256 << 10;
  double checkpoint_ratio = 0.75;
  // Raw bytes of object fragments per checkpoint block (checkpoint_block.h): large enough for
  // zstd to find what similar tables share, small enough that one object's time travel
  // decompresses little.
  size_t checkpoint_block_bytes = 128 << 10;
  // While indexing, the state rolled forward lives on an arena, where what events drop stays
  // until the state is copied to a fresh arena: after a checkpoint, once the arena has grown
  // by this many bytes since the last copy.
  uint64_t state_copy_growth_bytes = 64 << 20;
  // Called now and then while indexing many commits: (seq indexed so far, the log's head seq
  // the index is being brought to).
  std::function<void(uint64_t, uint64_t)> progress;
};

// Arena settings for a whole replayed state (megabytes of small messages): blocks of 2 MiB,
// each a huge page where the kernel allows it.
google::protobuf::ArenaOptions StateArenaOptions();

struct CommitSummary {
  uint64_t seq = 0;
  Hash hash{};
  int64_t time_unix_micros = 0;
  std::string actor_name;
  std::string actor_email;
  pb::Origin origin = pb::ORIGIN_UNSPECIFIED;
  std::string schema;
  std::string message;
  uint32_t event_count = 0;
  RecordPosition position;
};

struct CommitFilter {
  std::optional<std::string> object;  // touched this object (or something inside it)
  std::optional<std::string> actor;   // name or email, exact
  std::optional<int64_t> since_micros;
  std::optional<int64_t> until_micros;
  std::optional<pb::Origin> origin;
  std::optional<uint64_t> max_seq;
  std::optional<uint64_t> min_seq;
  std::optional<std::string> schema;  // commits of this schema source only
  uint64_t limit = 0;  // 0: no limit
};

struct SyncReport {
  bool rebuilt = false;
  std::string reason;        // why it was rebuilt ("no index", "index disagrees with log at seq 7")
  uint64_t indexed = 0;      // commits added by this open
  uint64_t state_copies = 0; // times indexing moved its state to a fresh arena (IndexOptions)
};

struct TagInfo {
  std::string name;
  uint64_t seq = 0;
  uint64_t tagged_at_seq = 0;  // the tag commit
};

struct CursorInfo {
  std::string target;
  uint64_t seq = 0;            // the seq the target is at
  uint64_t deployment_seq = 0;
  pb::DeploymentOutcome outcome = pb::DEPLOYMENT_OUTCOME_UNSPECIFIED;
};

class Index {
 public:
  // Opens (creating) the index file at `path` and brings it up to date with `reader`'s log.
  // `reader` must outlive the index. Corruption of the log surfaces here as Corruption.
  static Result<std::unique_ptr<Index>> Open(const std::string& path, CommitReader* reader,
                                             const IndexOptions& options);
  ~Index();

  const SyncReport& sync_report() const { return sync_; }
  uint64_t head_seq() const { return head_.seq; }
  const Head& head() const { return head_; }

  // Newest first.
  Result<std::vector<CommitSummary>> Commits(const CommitFilter& filter);
  Result<std::optional<CommitSummary>> CommitAt(uint64_t seq);
  // The newest commit at or before the instant, nullopt when history starts later.
  Result<std::optional<uint64_t>> SeqAtOrBefore(int64_t unix_micros);
  // Among the commits at or before `seq` that carry events, newest first, the one at index
  // `back`; nullopt when there are not that many (refs.h: what "~N" counts).
  Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t back);
  // Seqs whose hash (hex) starts with `hex_prefix` (lower case).
  Result<std::vector<uint64_t>> SeqsByHashPrefix(const std::string& hex_prefix);
  Result<std::optional<uint64_t>> TagSeq(const std::string& name);
  Result<std::vector<TagInfo>> Tags();
  Result<std::vector<CursorInfo>> Cursors();

  // Every schema as of `seq` (checkpoint + replay of the commits after it).
  Result<pb::State> StateAt(uint64_t seq);
  // The same state allocated on `arena`, which owns it: a whole schema is built and freed
  // in large blocks instead of one allocation per field.
  Result<pb::State*> StateAt(uint64_t seq, google::protobuf::Arena* arena);
  // The same state in two parts, as two threads restored it: a caller that reads the parts in
  // turn skips joining them (a pass over some of the tables).
  Result<StateParts> StatePartsAt(uint64_t seq, google::protobuf::Arena* arena);
  // The states at `first` and `second`, both on `arena`, replayed at the same time: the second
  // on another thread, through a reader of the log and a connection to the index of its own
  // (one after the other when no thread can be had). `diff` needs both, and one replay alone
  // keeps the second core only half busy.
  Result<std::pair<pb::State*, pb::State*>> StatesAt(uint64_t first, uint64_t second,
                                                     google::protobuf::Arena* arena);
  // Just `object` (and the objects it lives in, e.g. a Glue table's database) as of `seq`:
  // cost grows with that object's changes since the last checkpoint, not with the schema.
  Result<pb::State> ObjectStateAt(uint64_t seq, const std::string& object);
  // The commits that touched `object` (or something inside it), oldest first, up to max_seq.
  Result<std::vector<uint64_t>> SeqsTouching(const std::string& object, uint64_t max_seq);

  // The names `object` had before renames (PostgreSQL objects keep their identity and their
  // history across a rename), newest first, each with the seq of the commit that renamed it
  // away. Empty when it was never renamed up to max_seq.
  Result<std::vector<std::pair<std::string, uint64_t>>> FormerNames(const std::string& object,
                                                                     uint64_t max_seq);

  // Bytes of the index file (for benchmarks).
  uint64_t FileBytes() const;

 private:
  // The state of `objects` as of `seq`: the checkpoint's fragments and the events touching them.
  Result<pb::State> ReplayObjects(uint64_t seq, const std::vector<std::string>& objects);
  friend Result<pb::SchemaState> SchemaAt(Index& index, uint64_t seq, const std::string& schema);
  Index(sqlite3* db, std::string path, CommitReader* reader, IndexOptions options);
  // A second, read-only connection to this index file, reading the log through `reader`, for
  // queries on another thread. It answers up to this index's head and never syncs.
  Result<std::unique_ptr<Index>> OpenReadOnlyTwin(CommitReader* reader) const;
  class Builder;
  Status Prepare();
  Status Sync();
  Status Rebuild(const std::string& reason);
  Status IndexFrom(const Head& after, Builder* builder);
  // The nearest checkpoint at or before `at_or_before`: only `objects` (and schema-level rows)
  // when set, only schema source `schema` when set.
  Result<std::pair<uint64_t, pb::State>> LoadCheckpoint(uint64_t at_or_before,
                                                        const std::vector<std::string>* objects,
                                                        const std::string* schema = nullptr);
  // The same into `state` (empty on entry); returns the checkpoint's seq, 0 when none. With
  // `parts` (whose `first` is `state`), a whole state restored on two threads may be left in
  // two parts; without, it is always one.
  Result<uint64_t> LoadCheckpointInto(uint64_t at_or_before,
                                      const std::vector<std::string>* objects,
                                      const std::string* schema, pb::State* state,
                                      StateParts* parts = nullptr);
  // Applies the commits after checkpoint `from` up to `seq` to `state`.
  Status ReplayAfter(uint64_t from, uint64_t seq, pb::State* state);
  // The same to a state in two parts, which it leaves in two parts.
  Status ReplayAfter(uint64_t from, uint64_t seq, StateParts* parts);

  sqlite3* db_;
  std::string path_;
  CommitReader* reader_;
  IndexOptions options_;
  Head head_;
  uint64_t log_head_seq_ = 0;  // what Sync brings the index to, for progress
  bool other_format_ = false;  // Prepare found another format number
  SyncReport sync_;
};

// The recorded state of schema source `schema` (a key under `schemas:`) as of `seq`; an empty
// SchemaState when it had none then. Reads that schema's rows of the nearest checkpoint and
// applies only its commits after it. Corruption for a damaged log.
Result<pb::SchemaState> SchemaAt(Index& index, uint64_t seq, const std::string& schema);

}  // namespace strata
