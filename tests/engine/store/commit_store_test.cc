#include "engine/store/commit_store.h"
#include "engine/threads.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "tests/engine/testing/temp_dir.h"

namespace strata {
namespace {

pb::Commit Tagging(const std::string& name, uint64_t target) {
  pb::Commit c;
  c.set_origin(pb::ORIGIN_TAG);
  c.set_time_unix_micros(1000 + target);
  c.mutable_tag()->set_name(name);
  c.mutable_tag()->set_target_seq(target);
  return c;
}

// How scans run: in turn, decoding ahead on a second thread, or asked to decode ahead when no
// thread can be started (it then decodes in turn). Every scan behaves the same in all three.
enum class ScanMode { kInline, kDecodeAhead, kDecodeAheadWithoutThreads };

class CommitStoreTest : public ::testing::TestWithParam<ScanMode> {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    if (GetParam() == ScanMode::kDecodeAheadWithoutThreads) {
      no_threads_ = std::make_unique<RefuseThreadsForTesting>();
    }
  }
  void TearDown() override {
    // The fallback really ran whenever this mode scanned at all.
    if (no_threads_ != nullptr && scans_ > 0) {
      EXPECT_GT(no_threads_->refused(), 0);
    }
    no_threads_.reset();
  }

  // Appends `n` valid commits to a log at `dir`; returns their stored form.
  std::vector<StoredCommit> Write(const std::string& dir, int n, const std::string& prefix) {
    auto w = CommitWriter::Open(env_.get(), dir, LogOptions{});
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    std::vector<StoredCommit> out;
    for (int i = 0; i < n; ++i) {
      auto s = (*w)->Append(Tagging(prefix + std::to_string(i), 1));
      EXPECT_TRUE(s.ok()) << s.status().ToString();
      out.push_back(*s);
    }
    return out;
  }

  // Writes raw commit payloads, in the given order, as a log at `dir`.
  void WriteRaw(const std::string& dir, const std::vector<std::string>& payloads) {
    auto w = LogWriter::Open(env_.get(), dir, LogOptions{});
    ASSERT_TRUE(w.ok());
    for (const auto& p : payloads) ASSERT_TRUE((*w)->Append(p).ok());
  }

  std::vector<std::string> Payloads(const std::string& dir) {
    std::vector<std::string> out;
    auto r = LogReader::Open(env_.get(), dir);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE((*r)->Scan({}, [&](const RecordPosition&, std::string_view p) {
                  out.emplace_back(p);
                  return Status::Ok();
                }).ok());
    return out;
  }

  Status ScanAll(const std::string& dir, uint64_t* seen) {
    auto r = CommitReader::Open(env_.get(), dir);
    if (!r.ok()) return r.status();
    *seen = 0;
    return (*r)->Scan(Options(), [seen](const ScannedCommit&) {
      ++*seen;
      return Status::Ok();
    });
  }

  CommitScanOptions Options() const {
    CommitScanOptions o;
    o.decode_ahead = GetParam() != ScanMode::kInline;
    ++scans_;
    return o;
  }

  // Writes 300 commits and scans them, calling `pause(n)` before checking the n-th visited
  // (from 0); returns how many were visited. Each must be visited once, in order, with its own
  // content (scans reuse what they decode into, so a stale one would show).
  uint64_t ScanInOrder(const std::function<void(uint64_t)>& pause) {
    auto written = Write(tmp_ / "log", 300, "t");
    auto r = CommitReader::Open(env_.get(), tmp_ / "log");
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return 0;
    uint64_t want = 0;
    EXPECT_TRUE((*r)->Scan(Options(), [&](const ScannedCommit& c) {
                   pause(want);
                   EXPECT_EQ(c.commit.seq(), want + 1);
                   EXPECT_EQ(c.commit.tag().name(), "t" + std::to_string(want));
                   EXPECT_EQ(c.hash, written[want].hash);
                   ++want;
                   return Status::Ok();
                 }).ok());
    return want;
  }

  std::unique_ptr<Env> env_;
  testing::TempDir tmp_;
  std::unique_ptr<RefuseThreadsForTesting> no_threads_;
  mutable int scans_ = 0;
};

TEST_P(CommitStoreTest, EachCommitCarriesTheHashOfThePreviousStoredBytes) {
  auto commits = Write(tmp_ / "log", 3, "t");
  EXPECT_EQ(commits[0].commit.seq(), 1u);
  EXPECT_EQ(commits[0].commit.prev_hash(), std::string(32, '\0'));
  auto payloads = Payloads(tmp_ / "log");
  ASSERT_EQ(payloads.size(), 3u);
  for (int i = 1; i < 3; ++i) {
    Hash prev = Sha256(payloads[i - 1]);
    EXPECT_EQ(commits[i].commit.prev_hash(), std::string(prev.begin(), prev.end()));
    EXPECT_EQ(commits[i].hash, Sha256(payloads[i]));
  }
  auto reader = CommitReader::Open(env_.get(), tmp_ / "log");
  auto head = (*reader)->ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3u);
  EXPECT_EQ(head->hash, commits[2].hash);
}

TEST_P(CommitStoreTest, ReopenedWriterContinuesTheChain) {
  Write(tmp_ / "log", 2, "a");
  auto more = Write(tmp_ / "log", 2, "b");
  EXPECT_EQ(more[0].commit.seq(), 3u);
  uint64_t seen = 0;
  EXPECT_TRUE(ScanAll(tmp_ / "log", &seen).ok());
  EXPECT_EQ(seen, 4u);
}

TEST_P(CommitStoreTest, InvalidCommitIsRefusedAndNothingIsWritten) {
  auto w = CommitWriter::Open(env_.get(), tmp_ / "log", LogOptions{});
  pb::Commit c = Tagging("x", 1);
  c.set_origin(pb::ORIGIN_UNSPECIFIED);
  auto r = (*w)->Append(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "commit 1: origin is UNSPECIFIED");
  EXPECT_EQ((*w)->head().seq, 0u);
  EXPECT_TRUE(Payloads(tmp_ / "log").empty());
}

TEST_P(CommitStoreTest, ReorderedCommitsAreCaughtAtTheFirstOutOfPlaceSeq) {
  Write(tmp_ / "a", 3, "t");
  auto p = Payloads(tmp_ / "a");
  WriteRaw(tmp_ / "b", {p[0], p[2], p[1]});
  uint64_t seen = 0;
  Status s = ScanAll(tmp_ / "b", &seen);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("found seq 3 where 2 was expected (reordered or missing commits)"),
            std::string::npos) << s.message();
  EXPECT_EQ(seen, 1u);
}

TEST_P(CommitStoreTest, SplicedHistoryIsCaughtByThePrevHash) {
  Write(tmp_ / "a", 3, "a");
  Write(tmp_ / "b", 3, "b");  // same seqs, different content
  auto a = Payloads(tmp_ / "a");
  auto b = Payloads(tmp_ / "b");
  WriteRaw(tmp_ / "spliced", {a[0], a[1], b[2]});
  uint64_t seen = 0;
  Status s = ScanAll(tmp_ / "spliced", &seen);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("commit 3 (segment 1 at offset "), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("prev_hash does not match the hash of commit 2 (spliced or edited "
                             "history)"), std::string::npos) << s.message();
  EXPECT_EQ(seen, 2u);
}

TEST_P(CommitStoreTest, EditedCommitWithValidChecksumIsCaughtAtTheNextSeq) {
  Write(tmp_ / "a", 3, "t");
  auto p = Payloads(tmp_ / "a");
  pb::Commit edited;
  ASSERT_TRUE(edited.ParseFromString(p[1]));
  edited.set_message("nothing to see here");  // rewritten history, framed correctly
  WriteRaw(tmp_ / "b", {p[0], edited.SerializeAsString(), p[2]});
  uint64_t seen = 0;
  Status s = ScanAll(tmp_ / "b", &seen);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("commit 3 "), std::string::npos) << s.message();
  EXPECT_EQ(seen, 2u);
}

TEST_P(CommitStoreTest, PayloadThatIsNotACommitIsCorruption) {
  Write(tmp_ / "a", 1, "t");
  auto p = Payloads(tmp_ / "a");
  WriteRaw(tmp_ / "b", {p[0], std::string("\xff\xff\xff\xff", 4)});
  uint64_t seen = 0;
  Status s = ScanAll(tmp_ / "b", &seen);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("record is not a commit"), std::string::npos) << s.message();
}

TEST_P(CommitStoreTest, InvalidCommitInTheLogIsCorruptionNamingTheSeq) {
  Write(tmp_ / "a", 1, "t");
  auto p = Payloads(tmp_ / "a");
  pb::Commit bad = Tagging("x", 1);
  bad.set_seq(2);
  Hash prev = Sha256(p[0]);
  bad.set_prev_hash(std::string(prev.begin(), prev.end()));
  bad.set_origin(pb::ORIGIN_UNSPECIFIED);
  WriteRaw(tmp_ / "b", {p[0], bad.SerializeAsString()});
  uint64_t seen = 0;
  Status s = ScanAll(tmp_ / "b", &seen);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("origin is UNSPECIFIED"), std::string::npos) << s.message();
}

TEST_P(CommitStoreTest, ScanCanStartAfterACommitAndStopAtASeq) {
  auto commits = Write(tmp_ / "log", 6, "t");
  auto r = CommitReader::Open(env_.get(), tmp_ / "log");
  CommitScanOptions o = Options();
  o.after = Head{2, commits[1].hash, commits[1].position};
  o.until_seq = 4;
  std::vector<uint64_t> seqs;
  ASSERT_TRUE((*r)->Scan(o, [&](const ScannedCommit& c) {
                 seqs.push_back(c.commit.seq());
                 return Status::Ok();
               }).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{3, 4}));
}

TEST_P(CommitStoreTest, SecondWriterIsRefused) {
  auto first = CommitWriter::Open(env_.get(), tmp_ / "log", LogOptions{});
  ASSERT_TRUE(first.ok());
  auto second = CommitWriter::Open(env_.get(), tmp_ / "log", LogOptions{});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
}

// More commits than the decoding thread keeps in flight.
TEST_P(CommitStoreTest, LongScanVisitsEveryCommitOnceInOrder) {
  EXPECT_EQ(ScanInOrder([](uint64_t) {}), 300u);
}

// A visitor that falls behind lets the decoder fill its bound and wait; each side then wakes
// the other only after a batch. Nothing is lost or repeated across those waits, and a slow
// start and a fast finish both end the scan.
TEST_P(CommitStoreTest, SlowVisitorThenFastStillSeesEveryCommitInOrder) {
  EXPECT_EQ(ScanInOrder([](uint64_t n) {
              // Long enough for the decoder to reach its bound of commits in flight.
              if (n % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }),
            300u);
}

// A visitor that stops while the decoder waits for room: the decoder is woken and the scan
// returns the visitor's error (it would hang if the waiting decoder were not woken).
TEST_P(CommitStoreTest, VisitorErrorWakesADecoderWaitingForRoom) {
  Write(tmp_ / "log", 200, "t");
  auto r = CommitReader::Open(env_.get(), tmp_ / "log");
  ASSERT_TRUE(r.ok());
  uint64_t seen = 0;
  Status s = (*r)->Scan(Options(), [&](const ScannedCommit& c) {
    ++seen;
    if (c.commit.seq() == 1) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return c.commit.seq() == 2 ? Status::InvalidArgument("stop at 2") : Status::Ok();
  });
  EXPECT_EQ(s.message(), "stop at 2");
  EXPECT_EQ(seen, 2u);
}

// The visitor's error ends the scan at once, even with later commits damaged.
// Told where the last commit is (as an index knows), a scan stops there without reading on:
// damage past it is not met. Told a wrong place, it says the commit is not there.
TEST_P(CommitStoreTest, ScanUntilAKnownPositionStopsThereAndChecksTheCommitIsThere) {
  auto commits = Write(tmp_ / "a", 200, "t");
  auto p = Payloads(tmp_ / "a");
  p[150] = std::string("\xff\xff\xff\xff", 4);  // commit 151 is not a commit
  WriteRaw(tmp_ / "b", p);
  auto r = CommitReader::Open(env_.get(), tmp_ / "b");
  ASSERT_TRUE(r.ok());
  auto scan = [&](const CommitScanOptions& o, std::vector<uint64_t>* seqs) {
    seqs->clear();
    return (*r)->Scan(o, [seqs](const ScannedCommit& c) {
      seqs->push_back(c.commit.seq());
      return Status::Ok();
    });
  };
  std::vector<uint64_t> seqs;
  CommitScanOptions o = Options();
  o.after = Head{20, commits[19].hash, commits[19].position};
  o.until_seq = 120;
  // Without the position, the scan decodes the commit after 120 to see that it is past it.
  ASSERT_TRUE(scan(o, &seqs).ok());
  ASSERT_EQ(seqs.size(), 100u);
  o.until_seq = 150;
  o.until_position = commits[149].position;
  Status s = scan(o, &seqs);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(seqs.size(), 130u);
  EXPECT_EQ(seqs.front(), 21u);
  EXPECT_EQ(seqs.back(), 150u);
  // Without it, the scan reaches the damaged record after 150.
  o.until_position.reset();
  s = scan(o, &seqs);
  EXPECT_EQ(s.code(), Code::kCorruption) << s.ToString();
  EXPECT_EQ(seqs.size(), 130u);
  // A position that holds another commit.
  o.until_seq = 120;
  o.until_position = commits[109].position;
  s = scan(o, &seqs);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition) << s.ToString();
  EXPECT_EQ(s.message(), fmt::format("commit 120 is not where it was looked for (segment {} at "
                                     "offset {}): the records up to there end with commit 110",
                                     commits[109].position.segment,
                                     commits[109].position.offset));
  EXPECT_EQ(seqs.size(), 90u);
}

TEST_P(CommitStoreTest, VisitorErrorStopsTheScanAndWinsOverLaterDamage) {
  Write(tmp_ / "a", 200, "t");
  auto p = Payloads(tmp_ / "a");
  p[150] = std::string("\xff\xff\xff\xff", 4);
  WriteRaw(tmp_ / "b", p);
  auto r = CommitReader::Open(env_.get(), tmp_ / "b");
  ASSERT_TRUE(r.ok());
  uint64_t seen = 0;
  Status s = (*r)->Scan(Options(), [&](const ScannedCommit& c) {
    ++seen;
    return c.commit.seq() == 100 ? Status::InvalidArgument("stop at 100") : Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message(), "stop at 100");
  EXPECT_EQ(seen, 100u);
}

// A scan decodes each commit onto an arena it empties for the next: commits far larger than its
// first block and small ones after them come out whole, and a copy taken during the visit
// (Copy) is the commit as written, after the scan has moved on.
TEST_P(CommitStoreTest, ScannedCommitsOfAnySizeAreWholeAndCopiesOutliveTheVisit) {
  std::vector<StoredCommit> written;
  {
    auto w = CommitWriter::Open(env_.get(), tmp_ / "log", LogOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int i = 0; i < 120; ++i) {
      pb::Commit c = Tagging("t" + std::to_string(i), 1);
      // Every seventh commit carries a message of 40-100 KB: several arena blocks.
      if (i % 7 == 3) c.set_message(std::string(40000 + 500 * i, static_cast<char>('a' + i % 26)));
      auto stored = (*w)->Append(c);
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
      written.push_back(*stored);
    }
  }
  auto r = CommitReader::Open(env_.get(), tmp_ / "log");
  ASSERT_TRUE(r.ok());
  std::vector<StoredCommit> copies;
  ASSERT_TRUE((*r)->Scan(Options(), [&](const ScannedCommit& c) {
                   copies.push_back(c.Copy());
                   return Status::Ok();
                 }).ok());
  ASSERT_EQ(copies.size(), written.size());
  for (size_t i = 0; i < copies.size(); ++i) {
    EXPECT_EQ(copies[i].commit.SerializeAsString(), written[i].commit.SerializeAsString()) << i;
    EXPECT_EQ(copies[i].hash, written[i].hash) << i;
    EXPECT_EQ(copies[i].payload_bytes, written[i].payload_bytes) << i;
    EXPECT_EQ(copies[i].position.offset, written[i].position.offset) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Inline, CommitStoreTest, ::testing::Values(ScanMode::kInline));
INSTANTIATE_TEST_SUITE_P(DecodeAhead, CommitStoreTest, ::testing::Values(ScanMode::kDecodeAhead));
INSTANTIATE_TEST_SUITE_P(DecodeAheadWithoutThreads, CommitStoreTest,
                         ::testing::Values(ScanMode::kDecodeAheadWithoutThreads));

}  // namespace
}  // namespace strata
