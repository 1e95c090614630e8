// The index file. Tables:
//   meta(key, value)                     format version and the indexed head (seq, hash)
//   commits(seq, hash, time, ...)        one row per commit, with its record position
//   objects(id, name)                    top-level object names, numbered
//   object_seqs(object_id, first_seq, seqs)   which commits touched which top-level object:
//                                        one seq list (checkpoint_block.h) per object per
//                                        indexing run, keyed by its first seq
//   checkpoints(seq, bytes)              when a checkpoint was taken and its stored size
//   checkpoint_blocks(seq, schema, first_object, last_object, data)   the state then: the
//                                        fragments of consecutive objects (sorted by name),
//                                        one zstd frame per block (IndexOptions)
//   tags(name, seq, tag_seq), cursors(target, seq, deployment_seq, outcome)
// Everything here is recomputed from the log; `synchronous=OFF` is safe because a torn index
// is detected (it disagrees with the log or fails to open) and rebuilt.
#include "engine/index/index.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "engine/index/checkpoint_block.h"
#include "engine/index/sqlite.h"
#include "engine/index/state_parts.h"
#include "engine/log/zstd_codec.h"
#include "engine/state/apply.h"
#include "engine/state/fragments.h"
#include "engine/state/objects.h"
#include "engine/threads.h"

namespace strata {
namespace {

// 2: object ids, compressed checkpoints; 3: renames; 4: checkpoint blocks, seq lists.
constexpr int kFormatVersion = 4;

// Seqs kept in memory before they are written as seq lists (bounds a rebuild's memory).
constexpr size_t kMaxPendingSeqs = 4 << 20;
// A whole-state restore of at least this many checkpoint blocks runs on two threads.
constexpr size_t kParallelRestoreBlocks = 8;

constexpr char kSchema[] = R"(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS commits(
  seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, time INTEGER NOT NULL,
  actor_name TEXT, actor_email TEXT, origin INTEGER, schema_name TEXT, message TEXT,
  event_count INTEGER, segment INTEGER, offset INTEGER, stored_size INTEGER);
CREATE INDEX IF NOT EXISTS commits_time ON commits(time);
CREATE INDEX IF NOT EXISTS commits_hash ON commits(hash);
CREATE TABLE IF NOT EXISTS objects(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS object_seqs(object_id INTEGER, first_seq INTEGER, seqs BLOB NOT NULL,
  PRIMARY KEY(object_id, first_seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS renames(new_name TEXT, seq INTEGER, old_name TEXT NOT NULL,
  PRIMARY KEY(new_name, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints(seq INTEGER PRIMARY KEY, bytes INTEGER);
CREATE TABLE IF NOT EXISTS checkpoint_blocks(seq INTEGER, schema_name TEXT, first_object TEXT,
  last_object TEXT, data BLOB, PRIMARY KEY(seq, schema_name, first_object)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags(name TEXT PRIMARY KEY, seq INTEGER, tag_seq INTEGER)
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cursors(target TEXT PRIMARY KEY, seq INTEGER, deployment_seq INTEGER,
  outcome INTEGER) WITHOUT ROWID;
)";

std::string_view AsBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// "0a1f..." (even length, lower or upper case) to bytes; other characters count as 0.
std::string HexToBytes(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

Hash ToHash(std::string_view bytes) {
  Hash h{};
  std::copy_n(bytes.begin(), std::min(bytes.size(), h.size()), h.begin());
  return h;
}

}  // namespace

// Walks commits once, writing rows and taking checkpoints; one per indexing run.
class Index::Builder {
  using Fragments = std::vector<std::pair<std::string, std::string>>;

 public:
  Builder(Index* index, pb::State state, uint64_t bytes_since, uint64_t last_checkpoint)
      : index_(index), db_(index->db_), bytes_since_(bytes_since),
        last_checkpoint_bytes_(last_checkpoint) {
    MoveStateTo(std::make_unique<google::protobuf::Arena>(StateArenaOptions()), &state);
  }

  Status Add(const ScannedCommit& c) {
    STRATA_RETURN_IF_ERROR(InsertCommit(c));
    STRATA_RETURN_IF_ERROR(IndexEvents(c));
    STRATA_RETURN_IF_ERROR(IndexTagAndDeployment(c));
    bytes_since_ += c.position.stored_size;
    const auto spacing = std::max<uint64_t>(
        index_->options_.min_checkpoint_spacing_bytes,
        static_cast<uint64_t>(index_->options_.checkpoint_ratio * last_checkpoint_bytes_));
    if (bytes_since_ >= spacing) STRATA_RETURN_IF_ERROR(Checkpoint(c.commit.seq()));
    head_ = Head{c.commit.seq(), c.hash, c.position};
    ++count_;
    return Status::Ok();
  }

  Status Finish() {
    STRATA_RETURN_IF_ERROR(FlushSeqs());
    sql::Statement put(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    STRATA_RETURN_IF_ERROR(put.Bind(1, "head_seq").Bind(2, head_.seq).Run());
    STRATA_RETURN_IF_ERROR(put.Bind(1, "head_hash").BindBlob(2, AsBytes(head_.hash)).Run());
    STRATA_RETURN_IF_ERROR(put.Bind(1, "bytes_since_checkpoint").Bind(2, bytes_since_).Run());
    STRATA_RETURN_IF_ERROR(put.Bind(1, "last_checkpoint_bytes").Bind(2, last_checkpoint_bytes_).Run());
    return Status::Ok();
  }

  void set_head(const Head& h) { head_ = h; }
  uint64_t count() const { return count_; }
  uint64_t state_copies() const { return copies_; }

 private:
  Status InsertCommit(const ScannedCommit& c) {
    const pb::Commit& m = c.commit;
    insert_commit_.Bind(1, m.seq()).BindBlob(2, AsBytes(c.hash));
    insert_commit_.Bind(3, m.time_unix_micros()).Bind(4, m.actor().name());
    insert_commit_.Bind(5, m.actor().email()).Bind(6, static_cast<int>(m.origin()));
    insert_commit_.Bind(7, m.schema()).Bind(8, m.message()).Bind(9, m.events_size());
    insert_commit_.Bind(10, static_cast<int64_t>(c.position.segment));
    insert_commit_.Bind(11, c.position.offset).Bind(12, static_cast<int64_t>(c.position.stored_size));
    return insert_commit_.Run();
  }

  Status IndexEvents(const ScannedCommit& c) {
    if (c.commit.events_size() == 0) return Status::Ok();
    pb::SchemaState& schema = (*state_->mutable_schemas())[c.commit.schema()];
    // The objects touched, as views: a DynamoDB event's table is a field of the event (which
    // outlives this call), other engines' names are kept in `owned_names_`. A commit of
    // DynamoDB events copies no name.
    touched_.clear();
    owned_names_.clear();
    for (int i = 0; i < c.commit.events_size(); ++i) {
      const pb::Event& event = c.commit.events(i);
      if (event.kind_case() == pb::Event::kDynamodb) {
        touched_.push_back(DynamoTableOf(event.dynamodb()));
      } else {
        for (auto& o : TouchedObjects(event, schema)) owned_names_.push_back(std::move(o));
      }
      if (auto [from, to] = RenameOf(event); !to.empty()) {
        sql::Statement put(db_, "INSERT OR REPLACE INTO renames(new_name, seq, old_name) "
                                "VALUES(?,?,?)");
        STRATA_RETURN_IF_ERROR(put.Bind(1, to).Bind(2, c.commit.seq()).Bind(3, from).Run());
      }
      Status s = Apply(event, &schema);
      if (!s.ok()) {
        return Status::Corruption(fmt::format("commit {} event {} cannot be replayed: {}",
                                              c.commit.seq(), i + 1, s.message()));
      }
    }
    state_->set_seq(c.commit.seq());
    // Views into `owned_names_` are taken once it no longer grows.
    touched_.insert(touched_.end(), owned_names_.begin(), owned_names_.end());
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (std::string_view o : touched_) {
      if (o.empty()) continue;  // an event that names no object (Apply refused it already)
      STRATA_ASSIGN_OR_RETURN(int64_t id, ObjectId(o));
      pending_seqs_[id].push_back(c.commit.seq());
    }
    pending_count_ += touched_.size();
    if (pending_count_ >= kMaxPendingSeqs) return FlushSeqs();
    return Status::Ok();
  }

  // Writes the seqs gathered so far, one seq list per object, in object order.
  Status FlushSeqs() {
    std::vector<int64_t> ids;
    ids.reserve(pending_seqs_.size());
    for (const auto& [id, _] : pending_seqs_) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    std::string bytes;
    for (int64_t id : ids) {
      const std::vector<uint64_t>& seqs = pending_seqs_[id];
      bytes.clear();
      index_format::EncodeSeqs(seqs, &bytes);
      STRATA_RETURN_IF_ERROR(
          insert_seqs_.Bind(1, id).Bind(2, seqs.front()).BindBlob(3, bytes).Run());
    }
    pending_seqs_.clear();
    pending_count_ = 0;
    return Status::Ok();
  }

  // The number of an object name, given one on first sight (kept across indexing runs).
  Result<int64_t> ObjectId(std::string_view name) {
    if (auto it = object_ids_.find(name); it != object_ids_.end()) return it->second;
    find_object_id_.Bind(1, name);
    STRATA_ASSIGN_OR_RETURN(bool row, find_object_id_.Step());
    int64_t id = row ? find_object_id_.Int(0) : 0;
    find_object_id_.Reset();
    if (!row) {
      STRATA_RETURN_IF_ERROR(insert_object_name_.Bind(1, name).Run());
      id = sqlite3_last_insert_rowid(db_);
    }
    object_ids_.emplace(name, id);
    return id;
  }

  Status IndexTagAndDeployment(const ScannedCommit& c) {
    const pb::Commit& m = c.commit;
    if (m.has_tag()) {
      if (m.tag().deleted()) {
        sql::Statement del(db_, "DELETE FROM tags WHERE name = ?");
        STRATA_RETURN_IF_ERROR(del.Bind(1, m.tag().name()).Run());
      } else {
        sql::Statement put(db_, "INSERT OR REPLACE INTO tags(name, seq, tag_seq) VALUES(?,?,?)");
        STRATA_RETURN_IF_ERROR(
            put.Bind(1, m.tag().name()).Bind(2, m.tag().target_seq()).Bind(3, m.seq()).Run());
      }
    }
    if (m.has_deployment() && !m.deployment().target().empty()) {
      sql::Statement put(db_,
                         "INSERT OR REPLACE INTO cursors(target, seq, deployment_seq, outcome) "
                         "VALUES(?,?,?,?)");
      STRATA_RETURN_IF_ERROR(put.Bind(1, m.deployment().target())
                                 .Bind(2, m.deployment().to_seq())
                                 .Bind(3, m.seq())
                                 .Bind(4, static_cast<int>(m.deployment().outcome()))
                                 .Run());
    }
    return Status::Ok();
  }

  // Writes the whole state as blocks of fragments. Splitting and compressing are shared with
  // a second thread: they are most of a checkpoint, and the state is only read meanwhile.
  Status Checkpoint(uint64_t seq) {
    struct PlannedBlock {
      const std::string* schema;
      const Fragments* fragments;
      size_t begin, end;
      std::string compressed;
    };
    std::vector<Fragments> split;
    split.reserve(state_->schemas_size());
    for (const auto& [_, schema] : state_->schemas()) split.push_back(SplitInTwo(schema));
    std::vector<PlannedBlock> blocks;
    const size_t block_bytes = index_->options_.checkpoint_block_bytes;
    size_t k = 0;
    for (const auto& [schema_name, _] : state_->schemas()) {
      Fragments& fragments = split[k++];
      std::sort(fragments.begin(), fragments.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      size_t begin = 0, raw = 0;
      for (size_t i = 0; i < fragments.size(); ++i) {
        raw += fragments[i].first.size() + fragments[i].second.size();
        if (raw < block_bytes && i + 1 < fragments.size()) continue;
        blocks.push_back({&schema_name, &fragments, begin, i + 1, {}});
        begin = i + 1;
        raw = 0;
      }
    }
    for (auto& compressor : compressors_) {
      if (!compressor) {
        STRATA_ASSIGN_OR_RETURN(compressor, log_codec::Compressor::Create(3));
      }
    }
    // Each thread takes the next block nobody has taken yet.
    std::atomic<size_t> next{0};
    auto compress = [&](log_codec::Compressor* compressor, std::string* raw) -> Status {
      for (size_t i; (i = next.fetch_add(1)) < blocks.size();) {
        PlannedBlock& b = blocks[i];
        std::vector<index_format::BlockEntry> entries;
        entries.reserve(b.end - b.begin);
        for (size_t j = b.begin; j < b.end; ++j) {
          entries.push_back({(*b.fragments)[j].first, (*b.fragments)[j].second});
        }
        raw->clear();
        index_format::EncodeBlock(entries, raw);
        STRATA_RETURN_IF_ERROR(compressor->Compress(*raw, &b.compressed));
      }
      return Status::Ok();
    };
    Status helped;
    std::string helper_raw;
    std::optional<std::thread> helper;
    if (blocks.size() > 1) {
      helper = TryStartThread([&] { helped = compress(compressors_[1].get(), &helper_raw); });
    }
    Status compressed = compress(compressors_[0].get(), &raw_);
    if (helper) helper->join();
    STRATA_RETURN_IF_ERROR(compressed);
    STRATA_RETURN_IF_ERROR(helped);
    uint64_t bytes = 0;
    for (const PlannedBlock& b : blocks) {
      const std::string& first = (*b.fragments)[b.begin].first;
      const std::string& last = (*b.fragments)[b.end - 1].first;
      insert_block_.Bind(1, seq).Bind(2, *b.schema).Bind(3, first).Bind(4, last);
      insert_block_.BindBlob(5, b.compressed);
      STRATA_RETURN_IF_ERROR(insert_block_.Run());
      bytes += b.compressed.size() + first.size() + last.size() + b.schema->size();
    }
    sql::Statement put(db_, "INSERT OR REPLACE INTO checkpoints(seq, bytes) VALUES(?, ?)");
    STRATA_RETURN_IF_ERROR(put.Bind(1, seq).Bind(2, bytes).Run());
    last_checkpoint_bytes_ = bytes;
    bytes_since_ = 0;
    CopyStateWhenGrown();
    return Status::Ok();
  }

  void MoveStateTo(std::unique_ptr<google::protobuf::Arena> arena, pb::State* from) {
    pb::State* to = google::protobuf::Arena::CreateMessage<pb::State>(arena.get());
    *to = std::move(*from);  // a copy, from another arena or the heap
    state_ = to;
    arena_ = std::move(arena);  // frees the old one, after the copy
    copied_bytes_ = arena_->SpaceAllocated();
  }

  // Once the arena has grown by IndexOptions::state_copy_growth_bytes since the last copy, the
  // state is copied to a fresh arena, leaving behind what events dropped: about the cost of
  // serializing one checkpoint, and the build's memory stays within the state's twice over
  // plus that growth.
  void CopyStateWhenGrown() {
    if (arena_->SpaceAllocated() - copied_bytes_ < index_->options_.state_copy_growth_bytes) {
      return;
    }
    MoveStateTo(std::make_unique<google::protobuf::Arena>(StateArenaOptions()), state_);
    ++copies_;
  }

  // SplitSchema(schema), the objects dealt between this thread and a second one.
  static Fragments SplitInTwo(const pb::SchemaState& schema) {
    Fragments second;
    std::optional<std::thread> helper =
        TryStartThread([&] { second = SplitSchema(schema, 1, 2); });
    if (!helper) return SplitSchema(schema);
    Fragments first = SplitSchema(schema, 0, 2);
    helper->join();
    first.insert(first.end(), std::make_move_iterator(second.begin()),
                 std::make_move_iterator(second.end()));
    return first;
  }

  Index* index_;
  sqlite3* db_;
  // The state being rolled forward lives on an arena: a million events allocate and drop
  // millions of small messages, and an arena makes both nearly free. What events drop stays
  // on the arena until the state is copied to a fresh one (CopyStateWhenGrown).
  std::unique_ptr<google::protobuf::Arena> arena_;
  pb::State* state_ = nullptr;
  uint64_t copied_bytes_ = 0;  // the arena's size just after the last copy
  uint64_t copies_ = 0;
  uint64_t bytes_since_;
  uint64_t last_checkpoint_bytes_;
  Head head_;
  uint64_t count_ = 0;
  sql::Statement insert_commit_{db_,
      "INSERT OR REPLACE INTO commits(seq, hash, time, actor_name, actor_email, origin, "
      "schema_name, message, event_count, segment, offset, stored_size) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"};
  sql::Statement insert_seqs_{db_,
      "INSERT OR REPLACE INTO object_seqs(object_id, first_seq, seqs) VALUES(?, ?, ?)"};
  std::unordered_map<int64_t, std::vector<uint64_t>> pending_seqs_;
  size_t pending_count_ = 0;
  sql::Statement find_object_id_{db_, "SELECT id FROM objects WHERE name = ?"};
  sql::Statement insert_object_name_{db_, "INSERT INTO objects(name) VALUES(?)"};
  // Looked up by string_view without making a string (a transparent hash).
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>()(name); }
  };
  std::unordered_map<std::string, int64_t, NameHash, std::equal_to<>> object_ids_;
  std::vector<std::string_view> touched_;  // IndexEvents' own, kept to reuse their memory
  std::vector<std::string> owned_names_;
  std::unique_ptr<log_codec::Compressor> compressors_[2];  // this thread's and the helper's
  std::string raw_;
  sql::Statement insert_block_{db_,
      "INSERT OR REPLACE INTO checkpoint_blocks(seq, schema_name, first_object, last_object, "
      "data) VALUES(?,?,?,?,?)"};
};

// ---- opening and syncing -----------------------------------------------------------------

Index::Index(sqlite3* db, std::string path, CommitReader* reader, IndexOptions options)
    : db_(db), path_(std::move(path)), reader_(reader), options_(std::move(options)) {}

Index::~Index() { sqlite3_close(db_); }

namespace {

Result<sqlite3*> OpenDb(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Status s = sql::Error(db, "open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 30000);
  return db;
}

void RemoveIndexFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

}  // namespace

Result<std::unique_ptr<Index>> Index::Open(const std::string& path, CommitReader* reader,
                                           const IndexOptions& options) {
  STRATA_ASSIGN_OR_RETURN(sqlite3 * db, OpenDb(path));
  std::unique_ptr<Index> index(new Index(db, path, reader, options));
  Status s = index->Prepare();
  if (s.code() == Code::kCorruption) {
    // A damaged index is only a cache: throw it away and build it again.
    const bool other_format = index->other_format_;
    index.reset();
    RemoveIndexFiles(path);
    STRATA_ASSIGN_OR_RETURN(db, OpenDb(path));
    index.reset(new Index(db, path, reader, options));
    s = index->Prepare();
    index->sync_.rebuilt = true;
    index->sync_.reason = other_format ? "the index was written in another format"
                                       : "the index file was damaged";
  }
  STRATA_RETURN_IF_ERROR(s);
  STRATA_RETURN_IF_ERROR(index->Sync());
  return index;
}

Status Index::Prepare() {
  // Turning a new index file to WAL needs it alone for a moment: when another process opens
  // the same new file at once, SQLite answers SQLITE_BUSY without calling the busy handler.
  Status wal;
  for (int attempt = 0; attempt < 500; ++attempt) {
    // A larger page cache keeps a rebuild's B-tree pages in memory instead of spilling them.
    // Reads go through a mapping of the file: a whole-state restore reads a megabyte of
    // checkpoint pages, one pread and one copy each otherwise. (The file never shrinks under a
    // reader: the index is rebuilt by deleting rows, never by truncating it.)
    wal = sql::Exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; "
                         "PRAGMA cache_size=-32768; PRAGMA mmap_size=1073741824;");
    if (wal.ok() || sqlite3_errcode(db_) != SQLITE_BUSY) break;
    sqlite3_sleep(10);
  }
  STRATA_RETURN_IF_ERROR(wal);
  // The format first: an index of another version may have tables kSchema does not expect.
  STRATA_RETURN_IF_ERROR(sql::Exec(
      db_, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;"));
  sql::Statement get(db_, "SELECT value FROM meta WHERE key = 'format'");
  STRATA_ASSIGN_OR_RETURN(bool row, get.Step());
  if (row && get.Int(0) != kFormatVersion) {
    other_format_ = true;
    return Status::Corruption("index format version differs");  // rebuilt by Open
  }
  STRATA_RETURN_IF_ERROR(sql::Exec(db_, kSchema));
  if (!row) {
    // Another process opening a new index at the same moment may have written it first.
    sql::Statement put(db_, "INSERT OR IGNORE INTO meta(key, value) VALUES('format', ?)");
    STRATA_RETURN_IF_ERROR(put.Bind(1, kFormatVersion).Run());
  }
  return Status::Ok();
}

namespace {

struct Meta {
  Head head;
  uint64_t bytes_since_checkpoint = 0;
  uint64_t last_checkpoint_bytes = 0;
};

Result<Meta> ReadMeta(sqlite3* db) {
  Meta m;
  sql::Statement get(db, "SELECT key, value FROM meta");
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, get.Step());
    if (!row) break;
    std::string key = get.Text(0);
    if (key == "head_seq") m.head.seq = get.Int(1);
    if (key == "head_hash") m.head.hash = ToHash(get.Blob(1));
    if (key == "bytes_since_checkpoint") m.bytes_since_checkpoint = get.Int(1);
    if (key == "last_checkpoint_bytes") m.last_checkpoint_bytes = get.Int(1);
  }
  return m;
}

}  // namespace

Status Index::Sync() {
  STRATA_RETURN_IF_ERROR(sql::Exec(db_, "BEGIN IMMEDIATE"));
  Status s = [&]() -> Status {
    STRATA_ASSIGN_OR_RETURN(Head log_head, reader_->ReadHead());
    log_head_seq_ = log_head.seq;
    STRATA_ASSIGN_OR_RETURN(Meta meta, ReadMeta(db_));
    if (meta.head.seq == log_head.seq && meta.head.hash == log_head.hash) {
      head_ = log_head;
      return Status::Ok();
    }
    if (meta.head.seq > log_head.seq) {
      return Rebuild(fmt::format("the index is ahead of the log (seq {} > {})", meta.head.seq,
                                 log_head.seq));
    }
    if (meta.head.seq == 0) return Rebuild(sync_.reason.empty() ? "no index yet" : sync_.reason);
    STRATA_ASSIGN_OR_RETURN(auto at, CommitAt(meta.head.seq));
    if (!at || at->hash != meta.head.hash) {
      return Rebuild(fmt::format("the index disagrees with the log at seq {}", meta.head.seq));
    }
    auto check = reader_->ReadAt(at->position);
    if (!check.ok() || check->hash != meta.head.hash) {
      return Rebuild(fmt::format("the index disagrees with the log at seq {}", meta.head.seq));
    }
    STRATA_ASSIGN_OR_RETURN(pb::State state, StateAt(meta.head.seq));
    Head after{meta.head.seq, meta.head.hash, at->position};
    Builder builder(this, std::move(state), meta.bytes_since_checkpoint,
                    meta.last_checkpoint_bytes);
    return IndexFrom(after, &builder);
  }();
  if (!s.ok()) {
    (void)sql::Exec(db_, "ROLLBACK");
    return s;
  }
  return sql::Exec(db_, "COMMIT");
}

Status Index::Rebuild(const std::string& reason) {
  sync_.rebuilt = true;
  sync_.reason = reason;
  STRATA_RETURN_IF_ERROR(sql::Exec(db_,
      "DELETE FROM commits; DELETE FROM objects; DELETE FROM object_seqs; "
      "DELETE FROM checkpoints; "
      "DELETE FROM checkpoint_blocks; DELETE FROM tags; DELETE FROM cursors; "
      "DELETE FROM meta WHERE key != 'format';"));
  Builder builder(this, pb::State(), 0, 0);
  return IndexFrom(Head{}, &builder);
}

Status Index::IndexFrom(const Head& after, Builder* builder) {
  CommitScanOptions scan;
  scan.decode_ahead = true;
  if (after.seq > 0) scan.after = after;
  builder->set_head(after);
  uint64_t n = 0;
  STRATA_RETURN_IF_ERROR(reader_->Scan(scan, [&](const ScannedCommit& c) -> Status {
    STRATA_RETURN_IF_ERROR(builder->Add(c));
    if (options_.progress && ++n % 1000 == 0) options_.progress(c.commit.seq(), log_head_seq_);
    return Status::Ok();
  }));
  STRATA_RETURN_IF_ERROR(builder->Finish());
  sync_.indexed = builder->count();
  sync_.state_copies = builder->state_copies();
  STRATA_ASSIGN_OR_RETURN(Meta meta, ReadMeta(db_));
  head_ = meta.head;
  if (head_.seq > 0) {
    STRATA_ASSIGN_OR_RETURN(auto at, CommitAt(head_.seq));
    if (at) head_.position = at->position;
  }
  return Status::Ok();
}

// ---- queries -----------------------------------------------------------------------------

namespace {

constexpr char kCommitColumns[] =
    "seq, hash, time, actor_name, actor_email, origin, schema_name, message, event_count, "
    "segment, offset, stored_size";

CommitSummary ReadSummary(const sql::Statement& q) {
  CommitSummary c;
  c.seq = q.Int(0);
  c.hash = ToHash(q.Blob(1));
  c.time_unix_micros = q.Int(2);
  c.actor_name = q.Text(3);
  c.actor_email = q.Text(4);
  c.origin = static_cast<pb::Origin>(q.Int(5));
  c.schema = q.Text(6);
  c.message = q.Text(7);
  c.event_count = static_cast<uint32_t>(q.Int(8));
  c.position.segment = static_cast<uint32_t>(q.Int(9));
  c.position.offset = q.Int(10);
  c.position.stored_size = static_cast<uint32_t>(q.Int(11));
  return c;
}

// Rows of `object` itself and of anything inside it ("sales" covers "sales.orders").
// An object and the ones inside it ("orders" and "orders.x"), by id.
constexpr char kObjectMatch[] =
    "object_id IN (SELECT id FROM objects WHERE name = ?1 OR "
    "(name > ?1 || '.' AND name < ?1 || '/'))";

}  // namespace

Result<std::vector<CommitSummary>> Index::Commits(const CommitFilter& f) {
  std::string sql = fmt::format("SELECT {} FROM commits WHERE 1", kCommitColumns);
  std::string object_seqs;
  if (f.object) {
    // A renamed object's history goes on under its former names, up to each rename.
    constexpr uint64_t kAll = UINT64_MAX >> 1;
    STRATA_ASSIGN_OR_RETURN(auto names, FormerNames(*f.object, kAll));
    STRATA_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, SeqsTouching(*f.object, kAll));
    for (const auto& [name, renamed_at] : names) {
      STRATA_ASSIGN_OR_RETURN(auto before, SeqsTouching(name, renamed_at));
      seqs.insert(seqs.end(), before.begin(), before.end());
    }
    object_seqs = "[" + fmt::format("{}", fmt::join(seqs, ",")) + "]";
    sql += " AND seq IN (SELECT value FROM json_each(?10))";
  }
  if (f.actor) sql += " AND (actor_name = ?2 OR actor_email = ?2)";
  if (f.since_micros) sql += " AND time >= ?3";
  if (f.until_micros) sql += " AND time <= ?4";
  if (f.origin) sql += " AND origin = ?5";
  if (f.max_seq) sql += " AND seq <= ?6";
  if (f.min_seq) sql += " AND seq >= ?8";
  if (f.schema) sql += " AND schema_name = ?9";
  sql += " ORDER BY seq DESC";
  if (f.limit > 0) sql += " LIMIT ?7";
  sql::Statement q(db_, sql);
  if (f.object) q.Bind(10, object_seqs);
  if (f.actor) q.Bind(2, *f.actor);
  if (f.since_micros) q.Bind(3, *f.since_micros);
  if (f.until_micros) q.Bind(4, *f.until_micros);
  if (f.origin) q.Bind(5, static_cast<int>(*f.origin));
  if (f.max_seq) q.Bind(6, *f.max_seq);
  if (f.limit > 0) q.Bind(7, f.limit);
  if (f.min_seq) q.Bind(8, *f.min_seq);
  if (f.schema) q.Bind(9, *f.schema);
  std::vector<CommitSummary> out;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadSummary(q));
  }
  return out;
}

Result<std::optional<CommitSummary>> Index::CommitAt(uint64_t seq) {
  sql::Statement q(db_, fmt::format("SELECT {} FROM commits WHERE seq = ?", kCommitColumns));
  q.Bind(1, seq);
  STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<CommitSummary>();
  return std::optional<CommitSummary>(ReadSummary(q));
}

Result<std::optional<uint64_t>> Index::SeqAtOrBefore(int64_t unix_micros) {
  // Commit times normally rise with seq; a clock step backwards must not hide later commits,
  // so take the newest seq whose time is at or before the instant.
  sql::Statement q(db_, "SELECT max(seq) FROM commits WHERE time <= ?");
  q.Bind(1, unix_micros);
  STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row || q.IsNull(0)) return std::optional<uint64_t>();
  return std::optional<uint64_t>(q.Int(0));
}

Result<std::optional<uint64_t>> Index::SchemaChangeBack(uint64_t seq, uint64_t back) {
  if (back > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
      seq > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return std::optional<uint64_t>();  // more than any log holds
  }
  sql::Statement q(db_,
                   "SELECT seq FROM commits WHERE seq <= ? AND event_count > 0 "
                   "ORDER BY seq DESC LIMIT 1 OFFSET ?");
  q.Bind(1, static_cast<int64_t>(seq));
  q.Bind(2, static_cast<int64_t>(back));
  STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<uint64_t>();
  return std::optional<uint64_t>(q.Int(0));
}

Result<std::vector<uint64_t>> Index::SeqsByHashPrefix(const std::string& hex_prefix) {
  sql::Statement q(db_,
                   "SELECT seq FROM commits WHERE hash >= ?1 AND hash <= ?2 ORDER BY seq LIMIT 20");
  // Every hash with this hex prefix lies between the prefix padded with 0s and with fs.
  const std::string lo = HexToBytes(hex_prefix + std::string(64 - std::min<size_t>(64, hex_prefix.size()), '0'));
  const std::string hi = HexToBytes(hex_prefix + std::string(64 - std::min<size_t>(64, hex_prefix.size()), 'f'));
  q.BindBlob(1, lo).BindBlob(2, hi);
  std::vector<uint64_t> out;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(q.Int(0));
  }
  return out;
}

Result<std::optional<uint64_t>> Index::TagSeq(const std::string& name) {
  sql::Statement q(db_, "SELECT seq FROM tags WHERE name = ?");
  q.Bind(1, name);
  STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<uint64_t>();
  return std::optional<uint64_t>(q.Int(0));
}

Result<std::vector<TagInfo>> Index::Tags() {
  sql::Statement q(db_, "SELECT name, seq, tag_seq FROM tags ORDER BY name");
  std::vector<TagInfo> out;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), static_cast<uint64_t>(q.Int(1)), static_cast<uint64_t>(q.Int(2))});
  }
  return out;
}

Result<std::vector<CursorInfo>> Index::Cursors() {
  sql::Statement q(db_, "SELECT target, seq, deployment_seq, outcome FROM cursors ORDER BY target");
  std::vector<CursorInfo> out;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), static_cast<uint64_t>(q.Int(1)), static_cast<uint64_t>(q.Int(2)),
                   static_cast<pb::DeploymentOutcome>(q.Int(3))});
  }
  return out;
}

Result<std::vector<uint64_t>> Index::SeqsTouching(const std::string& object, uint64_t max_seq) {
  sql::Statement q(db_, fmt::format("SELECT seqs FROM object_seqs WHERE {} AND first_seq <= ?2",
                                    kObjectMatch));
  q.Bind(1, object).Bind(2, max_seq);
  std::vector<uint64_t> out;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    STRATA_RETURN_IF_ERROR(index_format::DecodeSeqs(q.Blob(0), &out));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  out.erase(std::upper_bound(out.begin(), out.end(), max_seq), out.end());
  return out;
}

Result<std::vector<std::pair<std::string, uint64_t>>> Index::FormerNames(const std::string& object,
                                                                        uint64_t max_seq) {
  std::vector<std::pair<std::string, uint64_t>> out;
  sql::Statement q(db_, "SELECT old_name, seq FROM renames WHERE new_name = ?1 AND seq <= ?2 "
                        "ORDER BY seq DESC LIMIT 1");
  std::string current = object;
  uint64_t bound = max_seq;
  // A chain of renames is short; the bound keeps a corrupt log from looping.
  for (int hops = 0; hops < 256 && bound > 0; ++hops) {
    q.Reset();
    q.Bind(1, current).Bind(2, bound);
    STRATA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.emplace_back(q.Text(0), static_cast<uint64_t>(q.Int(1)));
    current = out.back().first;
    bound = out.back().second - 1;
  }
  return out;
}

// ---- time travel -------------------------------------------------------------------------

namespace {

// A replayed 10,000-table state is some 60 MB of fresh memory. In 4 KiB pages that is 14,000
// page faults, most of a whole-schema `show`'s system time; the state's arena instead takes
// whole 2 MiB blocks, aligned so that the kernel can back each with one transparent huge page
// where it offers them (madvise mode included). Elsewhere they are ordinary pages, as before.
constexpr size_t kHugePage = 2 << 20;

size_t RoundToHugePages(size_t size) { return (size + kHugePage - 1) / kHugePage * kHugePage; }

void* AllocateStateBlock(size_t size) {
  const size_t length = RoundToHugePages(size);
  void* mapped = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(mapped, aligned - start);
  const uintptr_t end = start + length + kHugePage;
  if (end > aligned + length) {
    munmap(reinterpret_cast<void*>(aligned + length), end - aligned - length);
  }
  madvise(reinterpret_cast<void*>(aligned), length, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

void FreeStateBlock(void* block, size_t size) { munmap(block, RoundToHugePages(size)); }

}  // namespace

google::protobuf::ArenaOptions StateArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = kHugePage;
  options.max_block_size = kHugePage;
  options.block_alloc = AllocateStateBlock;
  options.block_dealloc = FreeStateBlock;
  return options;
}

namespace {

// Merges the fragments of one decoded checkpoint block into `schema`: all of them, or only
// the named objects (and the engine-only fragment of an empty schema) when `wanted` is set.
Status MergeBlock(const index_format::Block& block, const std::set<std::string_view>* wanted,
                  pb::SchemaState* schema) {
  if (block.entries.empty()) return Status::Ok();
  if (wanted == nullptr) {
    // The first fragment says which engine this is. Past it, DynamoDB and PostgreSQL objects
    // are distinct top-level map entries, so the rest of the block parses in one go; Glue
    // tables share their database's entry and are merged one by one.
    const std::string_view first = block.entries.front().fragment;
    STRATA_RETURN_IF_ERROR(MergeFragment(first, schema));
    if (schema->kind_case() != pb::SchemaState::kGlue) {
      return MergeFragment(block.fragments.substr(first.size()), schema);
    }
    for (size_t i = 1; i < block.entries.size(); ++i) {
      STRATA_RETURN_IF_ERROR(MergeFragment(block.entries[i].fragment, schema));
    }
    return Status::Ok();
  }
  for (const index_format::BlockEntry& e : block.entries) {
    if (!e.name.empty() && wanted->count(e.name) == 0) continue;
    STRATA_RETURN_IF_ERROR(MergeFragment(e.fragment, schema));
  }
  return Status::Ok();
}

struct StoredBlock {
  std::string schema;
  std::string first_object;
  std::string data;  // compressed
};

// Blocks shared by up to two threads: one takes them from the front, the other from the back,
// so each ends up with a run of consecutive blocks, and so of object names. Thread-safe.
class BlockQueue {
 public:
  explicit BlockQueue(size_t size) : back_(size) {}
  std::optional<size_t> Take(bool from_back) {
    std::lock_guard lock(mu_);
    if (front_ == back_) return std::nullopt;
    return from_back ? --back_ : front_++;
  }
  // Once every block is taken: blocks [0, front()) went to the front.
  size_t front() {
    std::lock_guard lock(mu_);
    return front_;
  }

 private:
  std::mutex mu_;
  size_t front_ = 0;
  size_t back_;
};

// Decompresses blocks and merges them into `state`: block `first` when set, then each block
// not yet taken from `queue`'s front (or back), in turn, until none is left.
Status MergeBlocks(const std::vector<StoredBlock>& blocks, std::optional<size_t> first,
                   BlockQueue* queue, bool from_back, const std::set<std::string_view>* wanted,
                   pb::State* state) {
  STRATA_ASSIGN_OR_RETURN(auto decompressor, log_codec::Decompressor::Create());
  std::string raw;
  for (std::optional<size_t> i = first ? first : queue->Take(from_back); i;
       i = queue->Take(from_back)) {
    const StoredBlock& stored = blocks[*i];
    Status merged = [&]() -> Status {
      raw.clear();
      STRATA_RETURN_IF_ERROR(decompressor->Decompress(stored.data, nullptr, &raw));
      STRATA_ASSIGN_OR_RETURN(index_format::Block block, index_format::DecodeBlock(raw));
      return MergeBlock(block, wanted, &(*state->mutable_schemas())[stored.schema]);
    }();
    if (!merged.ok()) return merged.WithContext("schema " + stored.schema);
  }
  return Status::Ok();
}

// `names` as a JSON array of strings, for json_each.
std::string JsonStrings(const std::vector<std::string>& names) {
  std::string list = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) list += ",";
    list += "\"";
    for (char ch : names[i]) {
      if (ch == '"' || ch == '\\') {
        list += '\\';
        list += ch;
      } else if (static_cast<unsigned char>(ch) < 0x20) {
        list += fmt::format("\\u{:04x}", static_cast<unsigned char>(ch));
      } else {
        list += ch;
      }
    }
    list += "\"";
  }
  return list + "]";
}

}  // namespace

Result<std::pair<uint64_t, pb::State>> Index::LoadCheckpoint(
    uint64_t at_or_before, const std::vector<std::string>* objects, const std::string* schema) {
  pb::State state;
  STRATA_ASSIGN_OR_RETURN(uint64_t seq, LoadCheckpointInto(at_or_before, objects, schema, &state));
  return std::make_pair(seq, std::move(state));
}

Result<uint64_t> Index::LoadCheckpointInto(uint64_t at_or_before,
                                           const std::vector<std::string>* objects,
                                           const std::string* schema, pb::State* state,
                                           StateParts* parts) {
  sql::Statement find(db_, "SELECT max(seq) FROM checkpoints WHERE seq <= ?");
  find.Bind(1, at_or_before);
  STRATA_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row || find.IsNull(0)) return uint64_t{0};
  const uint64_t seq = find.Int(0);
  std::string sql = "SELECT schema_name, first_object, data FROM checkpoint_blocks WHERE seq = ?1";
  // A block holds an object when the name falls between its first and last object.
  if (objects != nullptr) {
    sql += " AND (first_object = '' OR EXISTS (SELECT 1 FROM json_each(?2) "
           "WHERE value >= first_object AND value <= last_object))";
  }
  if (schema != nullptr) sql += " AND schema_name = ?3";
  // In name order (byte order, as the objects in a block are), so that the blocks each thread
  // takes from its end of the list hold a run of names.
  sql += " ORDER BY schema_name, first_object";
  sql::Statement q(db_, sql);
  q.Bind(1, seq);
  if (schema != nullptr) q.Bind(3, *schema);
  std::set<std::string_view> wanted;
  if (objects != nullptr) {
    q.Bind(2, JsonStrings(*objects));
    wanted.insert(objects->begin(), objects->end());
  }
  std::vector<StoredBlock> blocks;
  for (;;) {
    STRATA_ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) break;
    blocks.push_back({q.Text(0), q.Text(1), std::string(q.Blob(2))});
  }
  const std::set<std::string_view>* filter = objects != nullptr ? &wanted : nullptr;
  Status restored;
  if (filter != nullptr || blocks.size() < kParallelRestoreBlocks ||
      std::thread::hardware_concurrency() < 2) {
    BlockQueue queue(blocks.size());
    restored = MergeBlocks(blocks, std::nullopt, &queue, false, filter, state);
  } else {
    // A whole state of many blocks restores on two threads, this one taking blocks from the
    // front and the other from the back (the last block is its own before it starts), each
    // into a state of its own; the two hold different objects, so joining them moves entries
    // instead of copying them.
    google::protobuf::Arena* arena = state->GetArena();
    auto* second = google::protobuf::Arena::CreateMessage<pb::State>(arena);
    std::unique_ptr<pb::State> owned(arena == nullptr ? second : nullptr);
    const size_t last = blocks.size() - 1;
    BlockQueue queue(last);
    Status second_status;
    std::optional<std::thread> worker = TryStartThread([&] {
      second_status = MergeBlocks(blocks, last, &queue, true, nullptr, second);
    });
    restored = MergeBlocks(blocks, std::nullopt, &queue, false, nullptr, state);
    // With no thread to be had (a process limit), this thread takes every block.
    if (!worker && restored.ok()) {
      restored = MergeBlocks(blocks, last, &queue, false, nullptr, state);
    }
    if (worker) worker->join();
    if (restored.ok()) restored = second_status;
    if (restored.ok()) {
      // The schema the two runs meet in stays in two parts when the caller takes parts and it
      // is a DynamoDB schema, whose tables are independent; the rest is joined.
      const size_t k = queue.front();
      std::string split;
      auto meets = k > 0 && k < blocks.size() ? second->schemas().find(blocks[k].schema)
                                              : second->schemas().end();
      if (parts != nullptr && arena != nullptr && worker && meets != second->schemas().end() &&
          blocks[k].schema == blocks[k - 1].schema &&
          meets->second.kind_case() == pb::SchemaState::kDynamodb) {
        split = blocks[k].schema;
        parts->split_schema = split;
        parts->pivot = blocks[k].first_object;
        parts->second = second;
      }
      for (auto& [name, part] : *second->mutable_schemas()) {
        if (split.empty() || name != split) {
          MergeDisjoint(&part, &(*state->mutable_schemas())[name]);
        }
      }
    }
  }
  if (!restored.ok()) {
    // The log is intact (it is read and checked separately); only this cache is not.
    return Status::Corruption(fmt::format(
        "index {}: checkpoint at seq {}, {}; the index is rebuilt from the log when the file "
        "is deleted: rm {}",
        path_, seq, restored.message(), path_));
  }
  state->set_seq(seq);
  return seq;
}

Result<pb::State> Index::StateAt(uint64_t seq) {
  pb::State state;
  STRATA_ASSIGN_OR_RETURN(uint64_t from, LoadCheckpointInto(seq, nullptr, nullptr, &state));
  STRATA_RETURN_IF_ERROR(ReplayAfter(from, seq, &state));
  return state;
}

Result<pb::State*> Index::StateAt(uint64_t seq, google::protobuf::Arena* arena) {
  STRATA_ASSIGN_OR_RETURN(StateParts parts, StatePartsAt(seq, arena));
  return JoinParts(parts);
}

Result<StateParts> Index::StatePartsAt(uint64_t seq, google::protobuf::Arena* arena) {
  StateParts parts;
  parts.first = google::protobuf::Arena::CreateMessage<pb::State>(arena);
  STRATA_ASSIGN_OR_RETURN(uint64_t from,
                          LoadCheckpointInto(seq, nullptr, nullptr, parts.first, &parts));
  STRATA_RETURN_IF_ERROR(ReplayAfter(from, seq, &parts));
  return parts;
}

Result<std::unique_ptr<Index>> Index::OpenReadOnlyTwin(CommitReader* reader) const {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Status s = sql::Error(db, "open " + path_);
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 30000);
  std::unique_ptr<Index> twin(new Index(db, path_, reader, options_));
  twin->head_ = head_;
  twin->log_head_seq_ = log_head_seq_;
  return twin;
}

Result<std::pair<pb::State*, pb::State*>> Index::StatesAt(uint64_t first, uint64_t second,
                                                          google::protobuf::Arena* arena) {
  if (first == second) {
    STRATA_ASSIGN_OR_RETURN(pb::State * state, StateAt(first, arena));
    return std::make_pair(state, state);
  }
  // The twin's own reader and connection: neither this index's nor its reader's may be used
  // from two threads. When either cannot be opened, the second state is replayed after the
  // first, as without a thread.
  std::unique_ptr<CommitReader> other_reader;
  std::unique_ptr<Index> twin;
  if (auto r = reader_->OpenAnother(); r.ok()) {
    other_reader = std::move(r).value();
    if (auto t = OpenReadOnlyTwin(other_reader.get()); t.ok()) twin = std::move(t).value();
  }
  Result<pb::State*> at_second = Status::Internal("the second state was not replayed");
  std::optional<std::thread> worker;
  if (twin) worker = TryStartThread([&] { at_second = twin->StateAt(second, arena); });
  Result<pb::State*> at_first = StateAt(first, arena);
  if (worker) {
    worker->join();
  } else {
    at_second = StateAt(second, arena);
  }
  STRATA_RETURN_IF_ERROR(at_first.status());
  STRATA_RETURN_IF_ERROR(at_second.status());
  return std::make_pair(*at_first, *at_second);
}

Status Index::ReplayAfter(uint64_t from, uint64_t seq, pb::State* state) {
  StateParts parts;
  parts.first = state;
  return ReplayAfter(from, seq, &parts);
}

Status Index::ReplayAfter(uint64_t from, uint64_t seq, StateParts* parts) {
  if (from == seq) return Status::Ok();
  CommitScanOptions scan;
  scan.until_seq = seq;
  // Decoding is a third of replaying: on a second thread once there is enough of it.
  scan.decode_ahead = seq - from >= 64;
  if (from > 0) {
    STRATA_ASSIGN_OR_RETURN(auto at, CommitAt(from));
    if (!at) return Status::Corruption(fmt::format("index has a checkpoint at missing seq {}", from));
    scan.after = Head{from, at->hash, at->position};
  }
  // The log is read up to the last commit replayed, not to the end of its segment.
  STRATA_ASSIGN_OR_RETURN(auto until, CommitAt(seq));
  if (until) scan.until_position = until->position;
  Status replayed = reader_->Scan(scan, [parts](const ScannedCommit& c) {
    return ApplyCommitToParts(c.commit, parts);
  });
  if (until && replayed.code() == Code::kFailedPrecondition) {
    // The records are sound but not where this index says: it is out of date or damaged.
    return Status::Corruption(fmt::format(
        "index {}: {}; the index is rebuilt from the log when the file is deleted: rm {}", path_,
        replayed.message(), path_));
  }
  STRATA_RETURN_IF_ERROR(replayed);
  if (parts->first->seq() < seq) parts->first->set_seq(seq);
  return Status::Ok();
}

Result<pb::SchemaState> SchemaAt(Index& index, uint64_t seq, const std::string& schema) {
  STRATA_ASSIGN_OR_RETURN(auto checkpoint, index.LoadCheckpoint(seq, nullptr, &schema));
  const uint64_t from = checkpoint.first;
  pb::State& state = checkpoint.second;
  if (from < seq) {
    CommitScanOptions scan;
    scan.until_seq = seq;
    if (from > 0) {
      STRATA_ASSIGN_OR_RETURN(auto at, index.CommitAt(from));
      if (!at) {
        return Status::Corruption(fmt::format("index has a checkpoint at missing seq {}", from));
      }
      scan.after = Head{from, at->hash, at->position};
    }
    STRATA_RETURN_IF_ERROR(index.reader_->Scan(scan, [&](const ScannedCommit& c) -> Status {
      if (c.commit.schema() != schema) return Status::Ok();
      return ApplyCommit(c.commit, &state, OnFailure::kDiscard);
    }));
  }
  auto it = state.mutable_schemas()->find(schema);
  if (it == state.mutable_schemas()->end()) return pb::SchemaState();
  return std::move(it->second);
}

// The tables a PostgreSQL table takes column changes from (its partition parent and the tables
// it inherits from), as the state has them.
namespace {
std::vector<std::string> ColumnParents(const pb::State& state, const std::set<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& [_, schema] : state.schemas()) {
    if (!schema.has_postgres()) continue;
    for (const auto& name : names) {
      auto t = schema.postgres().tables().find(name);
      if (t == schema.postgres().tables().end()) continue;
      if (!t->second.partition_of().parent().empty()) out.push_back(t->second.partition_of().parent());
      for (const auto& p : t->second.inherits()) out.push_back(p);
    }
  }
  return out;
}
}  // namespace

Result<pb::State> Index::ObjectStateAt(uint64_t seq, const std::string& object) {
  std::set<std::string> names = {object};
  pb::State state;
  // A partition or an inheriting table takes column changes made to its parents: replay them
  // too, growing the set until it holds every parent (a few rounds at most).
  for (int round = 0; round < 16; ++round) {
    std::vector<std::string> objects;
    for (const auto& name : names) {
      for (std::string& o : ObjectAndParents(name)) objects.push_back(std::move(o));
      // A renamed object's history starts under its former names.
      STRATA_ASSIGN_OR_RETURN(auto former, FormerNames(name, seq));
      for (const auto& [old_name, _] : former) {
        for (std::string& o : ObjectAndParents(old_name)) objects.push_back(std::move(o));
      }
    }
    STRATA_ASSIGN_OR_RETURN(state, ReplayObjects(seq, objects));
    bool grew = false;
    for (const auto& parent : ColumnParents(state, names)) grew |= names.insert(parent).second;
    if (!grew) break;
  }
  return state;
}

Result<pb::State> Index::ReplayObjects(uint64_t seq, const std::vector<std::string>& objects) {
  STRATA_ASSIGN_OR_RETURN(auto checkpoint, LoadCheckpoint(seq, &objects));
  auto& [from, state] = checkpoint;
  std::set<uint64_t> seqs;
  for (const auto& o : objects) {
    STRATA_ASSIGN_OR_RETURN(auto touching, SeqsTouching(o, seq));
    for (uint64_t s : touching) {
      if (s > from) seqs.insert(s);
    }
  }
  const std::set<std::string> wanted(objects.begin(), objects.end());
  for (uint64_t s : seqs) {
    STRATA_ASSIGN_OR_RETURN(auto summary, CommitAt(s));
    if (!summary) return Status::Corruption(fmt::format("index lists missing commit {}", s));
    STRATA_ASSIGN_OR_RETURN(StoredCommit c, reader_->ReadAt(summary->position));
    pb::SchemaState& schema = (*state.mutable_schemas())[c.commit.schema()];
    for (const auto& e : c.commit.events()) {
      auto touched = TouchedObjects(e, schema);
      bool relevant = std::any_of(touched.begin(), touched.end(), [&](const std::string& t) {
        return wanted.count(t) > 0;
      });
      if (!relevant) continue;
      Status applied = Apply(e, &schema);
      if (!applied.ok()) return applied.WithContext(fmt::format("replaying commit {}", s));
    }
  }
  state.set_seq(seq);
  return std::move(state);
}

uint64_t Index::FileBytes() const {
  uint64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    if (FILE* f = std::fopen((path_ + suffix).c_str(), "rb")) {
      std::fseek(f, 0, SEEK_END);
      total += static_cast<uint64_t>(std::ftell(f));
      std::fclose(f);
    }
  }
  return total;
}

}  // namespace strata
