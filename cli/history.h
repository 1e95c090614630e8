// History: the log and its index opened for a read-only command, and ref resolution.
#pragma once

#include <memory>
#include <string>

#include "cli/context.h"
#include "engine/index/index.h"
#include "engine/refs/refs.h"
#include "engine/store/commit_store.h"

namespace strata::cli {

class History : public RefLookup {
 public:
  // Opens the project's log (an empty one when it does not exist yet) and its index,
  // bringing the index up to date with a progress note on long runs.
  static Result<std::unique_ptr<History>> Open(const Context& ctx);

  CommitReader& reader() { return *reader_; }
  Index& index() { return *index_; }
  Result<uint64_t> Resolve(const std::string& ref) { return ResolveRef(ref, *this); }

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

 private:
  std::unique_ptr<CommitReader> reader_;
  std::unique_ptr<Index> index_;
};

std::string IndexPath(const Context& ctx);

}  // namespace strata::cli

namespace strata::cli {

// Appends one commit (time and actor filled from ctx) to the project's log, holding the
// writer lock only for the append. Notes a torn tail that opening cut back.
Result<StoredCommit> AppendCommit(const Context& ctx, pb::Commit commit);

}  // namespace strata::cli
