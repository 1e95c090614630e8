// The behaviour every LogStore must show (engine/store/log_store.h), as one list of tests run
// against each store: instantiate LogStoreConformance with a LogStoreCase whose fixture makes a
// fresh, empty log and opens handles on it. Include this header in exactly one file of a test
// binary.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "engine/record/recorder.h"
#include "engine/store/log_store.h"

namespace strata::testing {

// One empty log, and handles on it (each as a separate writer would hold it).
class LogStoreFixture {
 public:
  virtual ~LogStoreFixture() = default;
  virtual std::unique_ptr<LogStore> Open() = 0;
};

struct LogStoreCase {
  std::string name;
  std::function<std::unique_ptr<LogStoreFixture>()> make;
};

inline void PrintTo(const LogStoreCase& c, std::ostream* os) { *os << c.name; }

inline std::string LogStoreCaseName(const ::testing::TestParamInfo<LogStoreCase>& info) {
  return info.param.name;
}

// A valid commit `seq` after `prev`: a tag naming seq 1, told apart by `name`.
inline std::string EntryBytes(uint64_t seq, const Hash& prev, const std::string& name) {
  pb::Commit c;
  c.set_seq(seq);
  c.set_prev_hash(std::string(HashBytes(prev)));
  c.set_origin(pb::ORIGIN_TAG);
  c.set_time_unix_micros(1000 + static_cast<int64_t>(seq));
  c.mutable_actor()->set_name("conformance");
  c.mutable_tag()->set_name(name);
  c.mutable_tag()->set_target_seq(1);
  std::string out;
  EXPECT_TRUE(SerializeCommit(c, &out).ok());
  return out;
}

class LogStoreConformance : public ::testing::TestWithParam<LogStoreCase> {
 protected:
  void SetUp() override {
    fixture_ = GetParam().make();
    ASSERT_NE(fixture_, nullptr);
    store_ = fixture_->Open();
    ASSERT_NE(store_, nullptr);
  }
  // Appends `n` commits through `store`, chained; returns their bytes.
  std::vector<std::string> AppendChain(LogStore& store, int n, const std::string& prefix) {
    auto head = store.ReadHead();
    EXPECT_TRUE(head.ok()) << head.status().ToString();
    Head at = head.ok() ? *head : Head{};
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      std::string bytes = EntryBytes(at.seq + 1, at.hash, prefix + std::to_string(i));
      auto appended = store.Append(at.seq + 1, bytes);
      EXPECT_TRUE(appended.ok()) << appended.status().ToString();
      if (!appended.ok()) break;
      EXPECT_EQ(appended->seq, at.seq + 1);
      EXPECT_EQ(appended->hash, Sha256(bytes));
      at = Head{at.seq + 1, Sha256(bytes), std::nullopt};
      out.push_back(std::move(bytes));
    }
    return out;
  }
  std::vector<LogEntry> ReadAll(LogStore& store) {
    auto r = store.Read(1, 100000);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<LogEntry>{};
  }

  std::unique_ptr<LogStoreFixture> fixture_;
  std::unique_ptr<LogStore> store_;
};

TEST_P(LogStoreConformance, AnEmptyLogHasHeadZeroAndNoEntries) {
  auto head = store_->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->seq, 0u);
  EXPECT_EQ(head->hash, Hash{});
  EXPECT_TRUE(ReadAll(*store_).empty());
  EXPECT_FALSE(store_->Describe().empty());
}

TEST_P(LogStoreConformance, EntriesComeBackExactlyAsAppendedInSeqOrder) {
  const auto bytes = AppendChain(*store_, 5, "t");
  ASSERT_EQ(bytes.size(), 5u);
  auto head = store_->ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 5u);
  EXPECT_EQ(head->hash, Sha256(bytes[4]));
  const auto all = ReadAll(*store_);
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, i + 1);
    EXPECT_EQ(all[i].payload, bytes[i]);  // byte for byte: the chain is over these bytes
    EXPECT_EQ(all[i].hash, Sha256(bytes[i]));
  }
}

TEST_P(LogStoreConformance, ReadsStartAtAnySeqAndStopAtTheLimit) {
  const auto bytes = AppendChain(*store_, 7, "t");
  auto middle = store_->Read(3, 2);
  ASSERT_TRUE(middle.ok()) << middle.status().ToString();
  ASSERT_EQ(middle->size(), 2u);
  EXPECT_EQ((*middle)[0].seq, 3u);
  EXPECT_EQ((*middle)[1].payload, bytes[3]);
  auto tail = store_->Read(6, 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[1].seq, 7u);
  auto past = store_->Read(8, 100);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->empty());
  // A fresh handle reads the same from anywhere.
  auto other = fixture_->Open();
  auto again = other->Read(5, 1);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].payload, bytes[4]);
}

TEST_P(LogStoreConformance, ATakenSeqIsAConflictAndTheEntryStaysAsItWas) {
  const auto bytes = AppendChain(*store_, 1, "first");
  auto other = fixture_->Open();
  const std::string rival = EntryBytes(1, Hash{}, "rival");
  auto lost = other->Append(1, rival);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), Code::kConflict) << lost.status().ToString();
  // The same bytes again are a conflict too: an entry is created once.
  auto again = other->Append(1, bytes[0]);
  EXPECT_EQ(again.status().code(), Code::kConflict) << again.status().ToString();
  const auto all = ReadAll(*store_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].payload, bytes[0]);
}

TEST_P(LogStoreConformance, TwoHandlesAppendInTurnOnOneChain) {
  auto other = fixture_->Open();
  AppendChain(*store_, 2, "a");
  AppendChain(*other, 2, "b");
  AppendChain(*store_, 1, "c");
  const auto all = ReadAll(*other);
  ASSERT_EQ(all.size(), 5u);
  Head prev;
  for (const LogEntry& e : all) {
    auto chain = ChainOf(e.payload);
    ASSERT_TRUE(chain.ok());
    EXPECT_EQ(chain->seq, prev.seq + 1);
    EXPECT_EQ(chain->prev_hash, prev.hash);
    prev = Head{e.seq, e.hash, std::nullopt};
  }
}

TEST_P(LogStoreConformance, AGapIsRefusedAndNothingIsWritten) {
  AppendChain(*store_, 1, "t");
  auto gap = store_->Append(3, EntryBytes(3, Hash{}, "gap"));
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.status().code(), Code::kInvalidArgument) << gap.status().ToString();
  EXPECT_EQ(ReadAll(*store_).size(), 1u);
  EXPECT_EQ(store_->ReadHead()->seq, 1u);
}

TEST_P(LogStoreConformance, ABrokenChainIsRefusedAndNothingIsWritten) {
  AppendChain(*store_, 1, "t");
  Hash wrong{};
  wrong[0] = 1;
  auto broken = store_->Append(2, EntryBytes(2, wrong, "broken"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Code::kInvalidArgument) << broken.status().ToString();
  // A commit claiming another seq than the entry's.
  const auto first = ReadAll(*store_);
  ASSERT_EQ(first.size(), 1u);
  auto misnumbered = store_->Append(2, EntryBytes(5, first[0].hash, "five"));
  EXPECT_EQ(misnumbered.status().code(), Code::kInvalidArgument)
      << misnumbered.status().ToString();
  auto garbage = store_->Append(2, "not a commit at all");
  EXPECT_EQ(garbage.status().code(), Code::kInvalidArgument) << garbage.status().ToString();
  EXPECT_EQ(ReadAll(*store_).size(), 1u);
}

TEST_P(LogStoreConformance, ScanStoreWalksPagesAndChecksTheChain) {
  const auto bytes = AppendChain(*store_, 23, "t");
  std::vector<uint64_t> seen;
  Status s = ScanStore(*store_, Head{}, 5, [&](const LogEntry& e, const pb::Commit& c) {
    EXPECT_EQ(c.seq(), e.seq);
    seen.push_back(e.seq);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(seen.size(), 23u);
  EXPECT_EQ(seen.front(), 1u);
  EXPECT_EQ(seen.back(), 23u);
  // From the middle: after a verified commit.
  seen.clear();
  s = ScanStore(*store_, Head{20, Sha256(bytes[19]), std::nullopt}, 5,
                [&](const LogEntry& e, const pb::Commit&) {
                  seen.push_back(e.seq);
                  return Status::Ok();
                });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, (std::vector<uint64_t>{21, 22, 23}));
  // A wrong starting hash is a broken chain at the next commit.
  s = ScanStore(*store_, Head{20, Hash{}, std::nullopt}, 5,
                [](const LogEntry&, const pb::Commit&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("commit 21: prev_hash does not match the hash of commit 20"),
            std::string::npos)
      << s.message();
}

// A recorder on `store` whose clock, waits and randomness are fixed: for the stores' tests that
// record through the writer protocol (a lost reply recorded once, a deleted entry refused).
inline record::RecorderOptions FixedRecorderOptions(std::shared_ptr<LogStore> store) {
  record::RecorderOptions o;
  o.store = std::move(store);
  o.actor.set_name("alice");
  o.now_micros = [] { return int64_t{1'772'000'000'000'000}; };
  o.steady_ms = [] { return int64_t{0}; };
  o.sleep_ms = [](int64_t) {};
  o.random = [n = uint64_t{1}]() mutable { return n = n * 6364136223846793005ULL + 1; };
  return o;
}

}  // namespace strata::testing
