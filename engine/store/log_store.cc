#include "engine/store/log_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/state/validate.h"

namespace strata {

Result<EntryChain> ChainOf(std::string_view payload) {
  pb::Commit c;
  if (!c.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::InvalidArgument("the bytes are not a commit");
  }
  if (c.prev_hash().size() != sizeof(Hash)) {
    return Status::InvalidArgument(fmt::format("commit {}: prev_hash is {} bytes, not 32",
                                               c.seq(), c.prev_hash().size()));
  }
  EntryChain out;
  out.seq = c.seq();
  std::copy(c.prev_hash().begin(), c.prev_hash().end(), out.prev_hash.begin());
  return out;
}

Status CheckEntry(uint64_t seq, std::string_view payload, const Head& prev) {
  pb::Commit c;
  if (!c.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::InvalidArgument(fmt::format("entry {}: the bytes are not a commit", seq));
  }
  if (c.seq() != seq) {
    return Status::InvalidArgument(
        fmt::format("entry {}: the commit in it says seq {}", seq, c.seq()));
  }
  if (prev.seq + 1 != seq || c.prev_hash() != HashBytes(prev.hash)) {
    return Status::InvalidArgument(fmt::format(
        "entry {}: its prev_hash is not the hash of commit {}", seq, seq - 1));
  }
  return ValidateCommit(c).WithContext(fmt::format("entry {}", seq));
}

Status ScanStore(LogStore& store, const Head& after, size_t page,
                 const std::function<Status(const LogEntry&, const pb::Commit&)>& visit) {
  Head prev = after;
  for (;;) {
    auto read = store.Read(prev.seq + 1, page);
    if (!read.ok() && read.status().code() == Code::kCorruption && page > 1) {
      // A store that refuses a whole page over one bad entry: go on one entry at a time, so
      // the entries before it are visited and the problem is reported at its own seq.
      page = 1;
      continue;
    }
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> entries, std::move(read));
    for (const LogEntry& e : entries) {
      if (e.seq != prev.seq + 1) {
        return Status::Corruption(fmt::format(
            "{}: commit {} is missing (the next entry is {})", store.Describe(), prev.seq + 1,
            e.seq));
      }
      pb::Commit c;
      if (!c.ParseFromArray(e.payload.data(), static_cast<int>(e.payload.size()))) {
        return Status::Corruption(
            fmt::format("{}: commit {}: the entry is not a commit", store.Describe(), e.seq));
      }
      if (c.seq() != e.seq) {
        return Status::Corruption(fmt::format("{}: entry {} holds a commit that says seq {}",
                                              store.Describe(), e.seq, c.seq()));
      }
      if (c.prev_hash() != HashBytes(prev.hash)) {
        return Status::Corruption(fmt::format(
            "{}: commit {}: prev_hash does not match the hash of commit {} (spliced or edited "
            "history)", store.Describe(), e.seq, prev.seq));
      }
      if (e.hash != Sha256(e.payload)) {
        return Status::Corruption(fmt::format("{}: commit {}: the stored hash is not the hash "
                                              "of its bytes", store.Describe(), e.seq));
      }
      STRATA_RETURN_IF_ERROR(visit(e, c));
      prev = Head{e.seq, e.hash, std::nullopt};
    }
    if (entries.size() < page) return Status::Ok();
  }
}

}  // namespace strata
