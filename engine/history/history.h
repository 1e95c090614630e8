// History: the log opened for reading with its index brought up to date, and the questions
// every command asks of it — the head, the recorded state of a schema at a seq, a target's
// cursor, refs. One way to ask each, so no command rebuilds "the state at seq N" by hand.
//
// Reading never writes the log (the index file is derived and may be rebuilt). Not
// thread-safe; several processes may read while one writes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/index/index.h"
#include "engine/log/env.h"
#include "engine/refs/refs.h"
#include "engine/store/commit_store.h"

namespace strata {

struct HistoryOptions {
  Env* env = nullptr;
  std::string log_dir;
  std::string index_path;  // empty: log_dir/index.sqlite
  // One line for people: a torn tail ignored, a rebuilt index.
  std::function<void(const std::string&)> note;
  // Indexing progress, now and then while the index catches up with many commits: (seq
  // indexed so far, the log's head seq); called once more with both equal when it is done.
  std::function<void(uint64_t, uint64_t)> index_progress;
};

class History : public RefLookup {
 public:
  // Opens the log (an empty one when the directory does not exist yet) and its index.
  // Corruption with what to do when the log is damaged.
  static Result<std::unique_ptr<History>> Open(const HistoryOptions& options);

  CommitReader& reader() { return *reader_; }
  Index& index() { return *index_; }
  const Head& head() const { return index_->head(); }
  Result<uint64_t> Resolve(const std::string& ref) { return ResolveRef(ref, *this); }

  // The recorded state of schema source `schema` as of `seq`; an empty state (engine
  // UNSPECIFIED) when nothing of it was recorded by then.
  Result<pb::SchemaState> SchemaAt(uint64_t seq, const std::string& schema);
  // Where target `label` is: its newest deployment; nullopt when never deployed.
  Result<std::optional<CursorInfo>> Cursor(const std::string& label);
  // Every object any commit of `schema` ever touched (the objects strata manages there).
  Result<std::set<std::string>> ObjectsEverRecorded(const std::string& schema);
  // The names of the migrations recorded for `schema` (commits carrying a migration body).
  Result<std::set<std::string>> MigrationsRecorded(const std::string& schema);
  // Commits of `schema` after `seq` that changed it, newest first.
  Result<std::vector<CommitSummary>> ChangesAfter(const std::string& schema, uint64_t seq);

  // RefLookup
  uint64_t HeadSeq() override { return index_->head_seq(); }
  Result<std::optional<uint64_t>> TagSeq(const std::string& name) override {
    return index_->TagSeq(name);
  }
  Result<std::vector<uint64_t>> SeqsByHashPrefix(const std::string& hex) override {
    return index_->SeqsByHashPrefix(hex);
  }
  Result<std::optional<uint64_t>> SeqAtOrBefore(int64_t micros) override {
    return index_->SeqAtOrBefore(micros);
  }
  Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t back) override {
    return index_->SchemaChangeBack(seq, back);
  }

 private:
  std::unique_ptr<CommitReader> reader_;
  std::unique_ptr<Index> index_;
};

}  // namespace strata
