#include "engine/store/mirror.h"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace strata {
namespace {

// Another process pulling into the same mirror can win an append; the loser starts over from
// the new head a few times before it gives up.
constexpr int kMaxRestarts = 20;

std::string Short(const Hash& h) { return HashHex(h).substr(0, 12); }

// Ok when the store's entry at the mirror's head (`first`, read from that seq) is the mirror's.
Status CheckShared(const LogStore& store, const Head& local, const std::vector<LogEntry>& read) {
  if (read.empty() || read.front().seq != local.seq) {
    return Status::Corruption(fmt::format(
        "{} has no commit {}, which the local mirror holds: the store's history was rewritten "
        "or it is another log; nothing was pulled. Check the log: line in strata.yaml; to start "
        "the mirror over from the store, remove the mirror's directory",
        store.Describe(), local.seq));
  }
  if (read.front().hash != local.hash) {
    return Status::Corruption(fmt::format(
        "{} diverges from the local mirror at commit {} (the store's is {}, the mirror's {}): "
        "the store's history was rewritten or it is another log; nothing was pulled. Check the "
        "log: line in strata.yaml; to start the mirror over from the store, remove the mirror's "
        "directory",
        store.Describe(), local.seq, Short(read.front().hash), Short(local.hash)));
  }
  return Status::Ok();
}

// Checks `e` as the entry after `prev`. Corruption naming the seq.
Status CheckNext(const LogStore& store, const Head& prev, const LogEntry& e) {
  if (e.seq != prev.seq + 1) {
    return Status::Corruption(fmt::format("{}: commit {} is missing (the next entry is {})",
                                          store.Describe(), prev.seq + 1, e.seq));
  }
  if (e.hash != Sha256(e.payload)) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: the stored hash is not the hash of its bytes", store.Describe(), e.seq));
  }
  Status s = CheckEntry(e.seq, e.payload, prev);
  if (!s.ok()) {
    return Status::Corruption(fmt::format("{}: commit {} does not follow commit {}: {}",
                                          store.Describe(), e.seq, prev.seq, s.message()));
  }
  return Status::Ok();
}

}  // namespace

Result<PullReport> Pull(LogStore& store, LocalLogStore& mirror, const PullOptions& options) {
  const size_t page = options.page == 0 ? 256 : options.page;
  PullReport report;
  STRATA_ASSIGN_OR_RETURN(report.before, mirror.ReadHead());
  Head local = report.before;
  for (int restarts = 0;;) {
    // Read from the mirror's own head (when it has one) to check it against the store's entry.
    // That entry comes on top of the page: with a page of one, reading only `page` entries from
    // there would read the mirror's head alone, again and again.
    const uint64_t from = local.seq == 0 ? 1 : local.seq;
    const size_t want = local.seq == 0 ? page : page + 1;
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> read, store.Read(from, want));
    if (local.seq > 0) STRATA_RETURN_IF_ERROR(CheckShared(store, local, read));
    const bool last_page = read.size() < want;
    std::vector<std::string> batch;
    Head prev = local;
    Status bad;
    for (LogEntry& e : read) {
      if (e.seq <= local.seq) continue;
      bad = CheckNext(store, prev, e);
      if (!bad.ok()) break;
      prev = Head{e.seq, e.hash, std::nullopt};
      batch.push_back(std::move(e.payload));
    }
    if (!batch.empty()) {
      auto appended = mirror.AppendBatch(local.seq + 1, batch);
      if (!appended.ok() && appended.status().code() == Code::kConflict &&
          ++restarts <= kMaxRestarts) {
        // Another process pulled the same entries first: check what it wrote, then go on.
        STRATA_ASSIGN_OR_RETURN(local, mirror.ReadHead());
        continue;
      }
      STRATA_RETURN_IF_ERROR(appended.status().WithContext("writing the local mirror"));
      report.pulled += batch.size();
      local = *appended;
      if (options.progress) options.progress(report.pulled, local.seq);
    }
    STRATA_RETURN_IF_ERROR(bad);
    if (last_page) break;
  }
  report.after = local;
  return report;
}

}  // namespace strata
