// ScanStore over stores that report a gap differently: one that returns the entries around it
// (the scan finds it) and one that refuses the whole page holding it (the scan reads again entry
// by entry, so the entries before the gap are visited and the gap is reported at its own seq).
#include "engine/store/log_store.h"

#include <gtest/gtest.h>

#include "tests/engine/store/fake_log_store.h"

namespace strata {
namespace {

using strata::testing::FakeLog;
using strata::testing::FakeLogStore;

// A valid commit `seq` after `prev` (the conformance list's EntryBytes, which may be included
// only once per test binary).
std::string EntryBytes(uint64_t seq, const Hash& prev, const std::string& name) {
  pb::Commit c;
  c.set_seq(seq);
  c.set_prev_hash(std::string(HashBytes(prev)));
  c.set_origin(pb::ORIGIN_TAG);
  c.set_time_unix_micros(1000 + static_cast<int64_t>(seq));
  c.mutable_actor()->set_name("scan");
  c.mutable_tag()->set_name(name);
  c.mutable_tag()->set_target_seq(1);
  std::string out;
  EXPECT_TRUE(SerializeCommit(c, &out).ok());
  return out;
}

// Refuses any read whose range would cross a missing seq, as the DynamoDB store does.
class StrictStore : public FakeLogStore {
 public:
  using FakeLogStore::FakeLogStore;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> out, FakeLogStore::Read(from, limit));
    uint64_t expect = from;
    for (const LogEntry& e : out) {
      if (e.seq != expect) {
        return Status::Corruption(
            fmt::format("strict: commit {} is missing (the next entry is {})", expect, e.seq));
      }
      ++expect;
    }
    return out;
  }
};

// Entries 1..5 with entry 3 removed.
std::shared_ptr<FakeLog> LogWithAHole() {
  auto log = std::make_shared<FakeLog>();
  Head at;
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    const std::string bytes = EntryBytes(seq, at.hash, "t" + std::to_string(seq));
    log->entries.push_back(LogEntry{seq, bytes, Sha256(bytes)});
    at = Head{seq, Sha256(bytes), std::nullopt};
  }
  log->entries.erase(log->entries.begin() + 2);
  return log;
}

TEST(ScanStore, AGapInAPageIsFoundAtItsSeq) {
  FakeLogStore store(LogWithAHole());
  std::vector<uint64_t> seen;
  Status s = ScanStore(store, Head{}, 10, [&](const LogEntry& e, const pb::Commit&) {
    seen.push_back(e.seq);
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), "fake log: commit 3 is missing (the next entry is 4)");
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2}));
}

TEST(ScanStore, APageTheStoreRefusesIsReadAgainEntryByEntry) {
  StrictStore store(LogWithAHole());
  std::vector<uint64_t> seen;
  Status s = ScanStore(store, Head{}, 10, [&](const LogEntry& e, const pb::Commit&) {
    seen.push_back(e.seq);
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), "strict: commit 3 is missing (the next entry is 4)");
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2}));  // the entries before the gap were visited
}

}  // namespace
}  // namespace strata
