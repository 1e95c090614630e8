// Pull into a local mirror from a shared store (the in-memory fake): the stored bytes arrive
// unchanged, each entry is checked before it enters the mirror, and a store that diverges from
// the mirror, has a gap or breaks the chain is reported naming the seq with nothing bad copied.
#include "engine/store/mirror.h"

#include <gtest/gtest.h>

#include "tests/engine/store/fake_log_store.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata {
namespace {

using testing::FakeLog;
using testing::FakeLogStore;

std::string Bytes(uint64_t seq, const Hash& prev, const std::string& name) {
  pb::Commit c;
  c.set_seq(seq);
  c.set_prev_hash(std::string(HashBytes(prev)));
  c.set_origin(pb::ORIGIN_TAG);
  c.set_time_unix_micros(1000 + static_cast<int64_t>(seq));
  c.mutable_actor()->set_name("mirror");
  c.mutable_tag()->set_name(name);
  c.mutable_tag()->set_target_seq(1);
  std::string out;
  EXPECT_TRUE(SerializeCommit(c, &out).ok());
  return out;
}

class MirrorTest : public ::testing::Test {
 protected:
  MirrorTest() : env_(NewPosixEnv()), log_(std::make_shared<FakeLog>()), store_(log_) {}

  // Appends n chained entries to the fake store, names prefix0, prefix1, ...
  void Grow(int n, const std::string& prefix = "t") {
    for (int i = 0; i < n; ++i) {
      const Head h = log_->head();
      ASSERT_TRUE(store_.Append(h.seq + 1, Bytes(h.seq + 1, h.hash, prefix + std::to_string(i))).ok());
    }
  }
  std::unique_ptr<LocalLogStore> Mirror() {
    LocalLogStoreOptions o;
    o.env = env_.get();
    o.dir = dir_ / "mirror";
    auto m = LocalLogStore::Open(std::move(o));
    EXPECT_TRUE(m.ok());
    return std::move(*m);
  }
  Result<PullReport> PullNow(size_t page = 4) {
    auto mirror = Mirror();
    PullOptions o;
    o.page = page;
    return Pull(store_, *mirror, o);
  }
  std::vector<LogEntry> MirrorEntries() { return *Mirror()->Read(1, 100000); }

  std::unique_ptr<Env> env_;
  testing::TempDir dir_;
  std::shared_ptr<FakeLog> log_;
  FakeLogStore store_;
};

TEST_F(MirrorTest, PullCopiesTheStoredBytesUnchangedAcrossPagesAndThenOnlyWhatIsNew) {
  Grow(10);
  auto first = PullNow(4);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->before.seq, 0u);
  EXPECT_EQ(first->after.seq, 10u);
  EXPECT_EQ(first->pulled, 10u);
  auto copied = MirrorEntries();
  ASSERT_EQ(copied.size(), 10u);
  for (size_t i = 0; i < copied.size(); ++i) {
    EXPECT_EQ(copied[i].payload, log_->entries[i].payload) << i;
    EXPECT_EQ(copied[i].hash, log_->entries[i].hash) << i;
  }
  Grow(3, "u");
  const int reads_before = log_->appends;
  auto second = PullNow(4);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->before.seq, 10u);
  EXPECT_EQ(second->pulled, 3u);
  EXPECT_EQ(second->after.hash, log_->head().hash);
  EXPECT_EQ(log_->appends, reads_before);  // pulling never writes to the store
  auto nothing = PullNow(4);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->pulled, 0u);
  EXPECT_EQ(MirrorEntries().size(), 13u);
}

// Found by the team_log fuzz target (tests/fuzz/team_log_seeds/pull_shop_mirror_holds_two_page_one):
// a page of one entry, read from the mirror's head, held only that entry, so the pull read it
// again and again and never returned.
TEST_F(MirrorTest, APageOfOneEntryStillMovesOnFromTheMirrorsHead) {
  Grow(3);
  ASSERT_TRUE(PullNow(1).ok());
  Grow(2, "u");
  auto pulled = PullNow(1);
  ASSERT_TRUE(pulled.ok()) << pulled.status().ToString();
  EXPECT_EQ(pulled->before.seq, 3u);
  EXPECT_EQ(pulled->after.seq, 5u);
  EXPECT_EQ(pulled->pulled, 2u);
  EXPECT_EQ(MirrorEntries().size(), 5u);
}

TEST_F(MirrorTest, AStoreWhoseEntryAtTheMirrorsHeadDiffersIsDivergenceNamingTheSeq) {
  Grow(5);
  ASSERT_TRUE(PullNow().ok());
  // The store is replaced by another history of the same length and more.
  log_->entries.clear();
  Grow(7, "other");
  auto r = PullNow();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_NE(r.status().message().find("fake log diverges from the local mirror at commit 5"),
            std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(MirrorEntries().size(), 5u);  // nothing of the other history entered
}

TEST_F(MirrorTest, AStoreShorterThanTheMirrorIsReportedNamingTheSeq) {
  Grow(5);
  ASSERT_TRUE(PullNow().ok());
  log_->entries.resize(3);
  auto r = PullNow();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_NE(r.status().message().find("fake log has no commit 5, which the local mirror holds"),
            std::string::npos)
      << r.status().ToString();
}

TEST_F(MirrorTest, AGapIsReportedNamingTheMissingSeqAndNothingPastItEnters) {
  Grow(6);
  log_->entries.erase(log_->entries.begin() + 3);  // entry 4 removed behind the store's back
  auto r = PullNow(10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_NE(r.status().message().find("fake log: commit 4 is missing (the next entry is 5)"),
            std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(MirrorEntries().size(), 3u);  // 1..3 checked and kept; nothing from 5 on
}

TEST_F(MirrorTest, AnEntryThatDoesNotChainIsRefusedBeforeItEntersTheMirror) {
  Grow(3);
  // Entry 4 is a valid commit with seq 4 whose prev_hash is not entry 3's hash.
  log_->entries.push_back(LogEntry{4, Bytes(4, Hash{}, "forged"), {}});
  log_->entries.back().hash = Sha256(log_->entries.back().payload);
  auto r = PullNow(10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_NE(r.status().message().find("fake log: commit 4 does not follow commit 3"),
            std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(MirrorEntries().size(), 3u);
  // A stored hash that is not the hash of the bytes is refused too.
  log_->entries.back() = LogEntry{4, Bytes(4, log_->entries[2].hash, "ok"), Hash{}};
  auto lying = PullNow(10);
  ASSERT_FALSE(lying.ok());
  EXPECT_NE(lying.status().message().find("commit 4: the stored hash is not the hash of its bytes"),
            std::string::npos)
      << lying.status().ToString();
}

TEST_F(MirrorTest, AnUnreachableStoreIsUnavailableAndKeepsTheMirror) {
  Grow(2);
  ASSERT_TRUE(PullNow().ok());
  Grow(2);
  log_->reads_fail = true;
  auto r = PullNow();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(MirrorEntries().size(), 2u);
}

// A store whose first Read lets another process fill the mirror before the pull appends.
class RacedStore : public FakeLogStore {
 public:
  using FakeLogStore::FakeLogStore;
  std::function<void()> before_read;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    if (auto hook = std::exchange(before_read, nullptr)) hook();
    return FakeLogStore::Read(from, limit);
  }
};

TEST_F(MirrorTest, TwoPullersIntoOneMirrorCopyEachEntryOnce) {
  Grow(9);
  RacedStore raced(log_);
  auto other = Mirror();
  raced.before_read = [&] {
    // Another process pulls 1..5 between this pull's look at the mirror and its append.
    std::vector<std::string> first5;
    for (int i = 0; i < 5; ++i) first5.push_back(log_->entries[i].payload);
    ASSERT_TRUE(other->AppendBatch(1, first5).ok());
  };
  auto mirror = Mirror();
  PullOptions o;
  o.page = 4;
  auto r = Pull(raced, *mirror, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->after.seq, 9u);
  EXPECT_EQ(r->pulled, 4u);  // 6..9; 1..5 were the other process's
  auto copied = MirrorEntries();
  ASSERT_EQ(copied.size(), 9u);
  for (size_t i = 0; i < copied.size(); ++i) EXPECT_EQ(copied[i].hash, log_->entries[i].hash);
}

}  // namespace
}  // namespace strata
