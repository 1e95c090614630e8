#include "engine/index/index.h"
#include "engine/threads.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <thread>

#include "engine/diff/diff.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/random_dynamo.h"
#include "tests/engine/testing/random_history.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int64_t kDay = 86400LL * 1000000;

// A random but valid DynamoDB history, with the expected schema after every commit.
class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    log_ = tmp_ / "log";
    index_path_ = tmp_ / "index.sqlite";
    options_.min_checkpoint_spacing_bytes = 2048;  // many checkpoints even in a small log
    options_.checkpoint_block_bytes = 300;         // and several blocks in each
  }

  void Record(int commits, uint64_t seed) {
    auto w = CommitWriter::Open(env_.get(), log_, LogOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    testing::RandomDynamo rnd(seed);
    testing::AppendRandomDynamoHistory(**w, rnd, commits, &models_, [](pb::Commit* c, size_t n) {
      c->set_time_unix_micros(static_cast<int64_t>(n) * kDay);
      c->mutable_actor()->set_name(n % 2 ? "alice" : "bob");
    });
  }

  std::unique_ptr<Index> OpenIndex() {
    reader_ = std::move(CommitReader::Open(env_.get(), log_)).value();
    auto index = Index::Open(index_path_, reader_.get(), options_);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? std::move(index).value() : nullptr;
  }

  void ExpectStateMatchesModel(Index& index, uint64_t seq) {
    auto state = index.StateAt(seq);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    pb::DynamoSchema got;
    if (state->schemas().count("dynamodb")) got = state->schemas().at("dynamodb").dynamodb();
    std::string report;
    MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    EXPECT_TRUE(d.Compare(models_[seq], got)) << "seq " << seq << "\n" << report;
  }

  std::unique_ptr<Env> env_;
  testing::TempDir tmp_;
  std::string log_, index_path_;
  IndexOptions options_;
  std::unique_ptr<CommitReader> reader_;
  std::vector<pb::DynamoSchema> models_;
};

TEST_F(IndexTest, StateAtEverySeqEqualsTheModel) {
  Record(150, 1);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().indexed, 150u);
  for (uint64_t seq = 0; seq <= 150; ++seq) ExpectStateMatchesModel(*index, seq);
}

// With no second thread to be had, a whole-state restore parses both halves of a checkpoint in
// turn, and the answers are the same.
TEST_F(IndexTest, StateAtWithoutThreadsEqualsTheModel) {
  Record(150, 1);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  RefuseThreadsForTesting no_threads;
  for (uint64_t seq = 0; seq <= 150; ++seq) ExpectStateMatchesModel(*index, seq);
  EXPECT_GT(no_threads.refused(), 0);  // the restores did ask for a thread
}

// Indexing rolls its state forward on an arena and now and then copies it to a fresh one (here
// after every checkpoint), in a rebuild and in a catch-up that starts from a checkpoint: the
// copies hold the same states, and so do the checkpoints taken after them.
TEST_F(IndexTest, IndexBuiltCopyingItsStateEqualsTheModel) {
  options_.state_copy_growth_bytes = 0;
  Record(120, 6);
  {
    auto index = OpenIndex();
    ASSERT_TRUE(index);
    EXPECT_TRUE(index->sync_report().rebuilt);
    EXPECT_GT(index->sync_report().state_copies, 3u);
  }
  Record(60, 7);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_FALSE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().indexed, 60u);
  EXPECT_GT(index->sync_report().state_copies, 0u);
  for (uint64_t seq = 0; seq <= 180; ++seq) ExpectStateMatchesModel(*index, seq);
  // With the default growth a history this small never copies its state.
  options_ = IndexOptions{};
  std::filesystem::remove(index_path_);
  index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_EQ(index->sync_report().state_copies, 0u);
}

// Checkpoints split and compress the state on two threads; with no second thread to be had,
// they do it all in turn and hold the same states.
TEST_F(IndexTest, IndexBuiltWithoutThreadsEqualsTheModel) {
  Record(150, 3);
  std::unique_ptr<Index> index;
  {
    RefuseThreadsForTesting no_threads;
    index = OpenIndex();
    ASSERT_TRUE(index);
    EXPECT_GT(no_threads.refused(), 0);  // checkpoints did ask for threads
  }
  for (uint64_t seq = 0; seq <= 150; ++seq) ExpectStateMatchesModel(*index, seq);
}

// A whole state restored on two threads may stay in two parts, split by table name, through
// its replay: at every seq the parts hold each table once, on its side of the pivot, and join
// into the model's schema.
TEST_F(IndexTest, StatePartsAtEverySeqJoinIntoTheModel) {
  options_.checkpoint_block_bytes = 100;  // a block or two per table: most restores split
  Record(150, 1);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  int split = 0;
  for (uint64_t seq = 0; seq <= 150; ++seq) {
    google::protobuf::Arena arena;
    auto parts = index->StatePartsAt(seq, &arena);
    ASSERT_TRUE(parts.ok()) << parts.status().ToString();
    if (parts->second != nullptr) {
      ++split;
      EXPECT_EQ(parts->split_schema, "dynamodb");
      int tables = 0;
      for (const auto& [name, _] : parts->first->schemas().at("dynamodb").dynamodb().tables()) {
        EXPECT_LT(name, parts->pivot) << "seq " << seq;
        ++tables;
      }
      for (const auto& [name, _] : parts->second->schemas().at("dynamodb").dynamodb().tables()) {
        EXPECT_GE(name, parts->pivot) << "seq " << seq;
        ++tables;
      }
      EXPECT_EQ(tables, models_[seq].tables_size()) << "seq " << seq;
    }
    pb::State* whole = JoinParts(*parts);
    EXPECT_EQ(whole->seq(), seq);
    pb::DynamoSchema got;
    if (whole->schemas().count("dynamodb")) got = whole->schemas().at("dynamodb").dynamodb();
    EXPECT_TRUE(MessageDifferencer::Equals(models_[seq], got)) << "seq " << seq;
  }
  // Where a restore splits depends on how the two threads shared the blocks, but the other
  // thread's first block is its own before it starts.
  EXPECT_GT(split, 75);
}

// With no second thread, a restore is one part, and the answers are the same.
TEST_F(IndexTest, StatePartsAtWithoutThreadsIsOnePart) {
  Record(150, 2);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  RefuseThreadsForTesting no_threads;
  for (uint64_t seq = 0; seq <= 150; ++seq) {
    google::protobuf::Arena arena;
    auto parts = index->StatePartsAt(seq, &arena);
    ASSERT_TRUE(parts.ok()) << parts.status().ToString();
    EXPECT_EQ(parts->second, nullptr);
    pb::DynamoSchema got;
    if (parts->first->schemas().count("dynamodb")) {
      got = parts->first->schemas().at("dynamodb").dynamodb();
    }
    EXPECT_TRUE(MessageDifferencer::Equals(models_[seq], got)) << "seq " << seq;
  }
}

// A replayed state's arena takes memory in whole, aligned 2 MiB blocks (so the kernel can back
// each with one huge page instead of 512 faults), from several threads at once, and gives it
// all back.
TEST(StateArenaTest, BlocksAreAlignedHugePagesAndWorkAcrossThreads) {
  auto arena = std::make_unique<google::protobuf::Arena>(StateArenaOptions());
  auto fill = [&arena](int thread) {
    for (int i = 0; i < 4000; ++i) {
      auto* t = google::protobuf::Arena::CreateMessage<pb::DynamoTable>(arena.get());
      t->set_name(std::string(600, static_cast<char>('a' + thread)) + std::to_string(i));
      ASSERT_EQ(t->name().size(), 600 + std::to_string(i).size());
      ASSERT_EQ(t->name()[0], 'a' + thread);
    }
  };
  std::thread other(fill, 1);
  fill(0);
  other.join();
  // Over 4.8 MB of names: several blocks, each a whole number of huge pages.
  EXPECT_GE(arena->SpaceAllocated(), 4u << 20);
  EXPECT_EQ(arena->SpaceAllocated() % (2u << 20), 0u);
  EXPECT_EQ(arena->Reset() % (2u << 20), 0u);
}

// Two states replayed at once (the second through a read-only twin on another thread) are the
// states StateAt gives one at a time, with threads or without, for any pair of seqs.
TEST_F(IndexTest, StatesAtEqualsTwoStateAtsWithAndWithoutThreads) {
  Record(120, 5);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  google::protobuf::Arena arena;
  const std::vector<std::pair<uint64_t, uint64_t>> pairs = {
      {0, 120}, {120, 0}, {37, 37}, {1, 119}, {60, 61}, {99, 13}};
  for (bool threads : {true, false}) {
    std::optional<RefuseThreadsForTesting> refuse;
    if (!threads) refuse.emplace();
    for (const auto& [a, b] : pairs) {
      SCOPED_TRACE(std::to_string(a) + " and " + std::to_string(b) +
                   (threads ? "" : ", threads refused"));
      auto both = index->StatesAt(a, b, &arena);
      ASSERT_TRUE(both.ok()) << both.status().ToString();
      auto want_a = index->StateAt(a);
      auto want_b = index->StateAt(b);
      ASSERT_TRUE(want_a.ok() && want_b.ok());
      EXPECT_TRUE(MessageDifferencer::Equals(*both->first, *want_a));
      EXPECT_TRUE(MessageDifferencer::Equals(*both->second, *want_b));
      EXPECT_EQ(both->first->seq(), a);
      EXPECT_EQ(both->second->seq(), b);
    }
    if (refuse) {
      EXPECT_GT(refuse->refused(), 0);
    }
  }
}

// A damaged checkpoint found by the replay on the other thread is reported as the one-at-a-time
// replay reports it.
TEST_F(IndexTest, StatesAtReportsDamageFoundOnTheOtherThread) {
  Record(150, 9);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(index_path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE checkpoint_blocks SET data = x'00112233' WHERE seq = "
                               "(SELECT max(seq) FROM checkpoints)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  google::protobuf::Arena arena;
  auto one = index->StateAt(150, &arena);
  ASSERT_FALSE(one.ok());
  auto both = index->StatesAt(1, 150, &arena);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), one.status().code());
  EXPECT_EQ(both.status().message(), one.status().message());
}

// One schema source at any seq, through checkpoints, with another source's commits beside it.
TEST_F(IndexTest, SchemaAtEverySeqEqualsTheModelAndIgnoresOtherSchemas) {
  Record(80, 7);
  {
    auto w = CommitWriter::Open(env_.get(), log_, LogOptions{});
    ASSERT_TRUE(w.ok());
    pb::Commit c;
    c.set_origin(pb::ORIGIN_IMPORT);
    c.set_schema("second");
    c.set_engine(pb::ENGINE_DYNAMODB);
    *c.add_events() = testing::CreateTableEvent("x");
    ASSERT_TRUE((*w)->Append(c).ok());
  }
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  auto Dynamo = [&](uint64_t seq, const std::string& schema) {
    auto s = SchemaAt(*index, seq, schema);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : pb::SchemaState();
  };
  for (uint64_t seq = 0; seq <= 80; ++seq) {
    pb::SchemaState got = Dynamo(seq, "dynamodb");
    EXPECT_TRUE(MessageDifferencer::Equals(got.dynamodb(), models_[seq])) << "seq " << seq;
    EXPECT_EQ(got.engine(), seq == 0 ? pb::ENGINE_UNSPECIFIED : pb::ENGINE_DYNAMODB);
    EXPECT_EQ(Dynamo(seq, "second").ByteSizeLong(), 0u) << "seq " << seq;
  }
  EXPECT_TRUE(MessageDifferencer::Equals(Dynamo(81, "dynamodb").dynamodb(), models_[80]));
  pb::SchemaState second = Dynamo(81, "second");
  EXPECT_EQ(second.dynamodb().tables().size(), 1u);
  EXPECT_EQ(second.dynamodb().tables().count("x"), 1u);
  EXPECT_EQ(Dynamo(81, "nothing here").ByteSizeLong(), 0u);
}

TEST_F(IndexTest, OneTableAtAnySeqEqualsTheModelsTable) {
  Record(150, 2);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  for (uint64_t seq = 1; seq <= 150; seq += 7) {
    for (int t = 0; t < 10; ++t) {
      const std::string name = "t" + std::to_string(t);
      auto state = index->ObjectStateAt(seq, name);
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      const auto& tables = state->schemas().count("dynamodb")
                               ? state->schemas().at("dynamodb").dynamodb().tables()
                               : pb::DynamoSchema::default_instance().tables();
      const bool expected = models_[seq].tables().count(name) > 0;
      ASSERT_EQ(tables.count(name) > 0, expected) << name << " at seq " << seq;
      if (expected) {
        EXPECT_TRUE(MessageDifferencer::Equals(tables.at(name), models_[seq].tables().at(name)))
            << name << " at seq " << seq;
      }
      for (const auto& [other, _] : tables) EXPECT_EQ(other, name);  // only what was asked
    }
  }
}

TEST_F(IndexTest, CheckpointsAreSpacedByBytesAndStayWithinTheLogSize) {
  Record(200, 3);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  uint64_t log_bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(log_)) {
    if (e.path().extension() == ".log") log_bytes += e.file_size();
  }
  EXPECT_GT(log_bytes, 0u);
  EXPECT_LT(index->FileBytes(), 40 * log_bytes);  // SQLite pages dominate a tiny log
}

TEST_F(IndexTest, StaleIndexCatchesUpWithoutARebuild) {
  Record(40, 4);
  { auto index = OpenIndex(); }
  Record(25, 5);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_FALSE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().indexed, 25u);
  EXPECT_EQ(index->head_seq(), 65u);
  for (uint64_t seq : {10u, 40u, 41u, 65u}) ExpectStateMatchesModel(*index, seq);
}

TEST_F(IndexTest, DeletedIndexIsRebuiltWithTheSameAnswers) {
  Record(60, 6);
  std::vector<CommitSummary> before;
  {
    auto index = OpenIndex();
    before = *index->Commits({});
  }
  std::filesystem::remove(index_path_);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->sync_report().rebuilt);
  auto after = *index->Commits({});
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].hash, before[i].hash);
  ExpectStateMatchesModel(*index, 33);
}

TEST_F(IndexTest, DamagedIndexFileIsRebuilt) {
  Record(20, 7);
  { auto index = OpenIndex(); }
  std::ofstream(index_path_, std::ios::binary | std::ios::trunc) << std::string(8192, 'x');
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().reason, "the index file was damaged");
  EXPECT_EQ(index->head_seq(), 20u);
}

TEST_F(IndexTest, IndexOfAnotherHistoryIsRebuilt) {
  Record(30, 8);
  { auto index = OpenIndex(); }
  std::filesystem::remove_all(log_);
  models_.clear();
  Record(35, 9);  // a different history, longer than the indexed one
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().reason, "the index disagrees with the log at seq 30");
  ExpectStateMatchesModel(*index, 35);
}

TEST_F(IndexTest, CommitFiltersAndTimeLookups) {
  Record(20, 10);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  CommitFilter by_alice;
  by_alice.actor = "alice";
  auto alices = index->Commits(by_alice);
  ASSERT_TRUE(alices.ok()) << alices.status().ToString();
  for (const auto& c : *alices) EXPECT_EQ(c.actor_name, "alice");
  EXPECT_EQ(alices->size(), 10u);
  CommitFilter window;
  window.since_micros = 5 * kDay;
  window.until_micros = 7 * kDay;
  auto w = *index->Commits(window);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w.front().seq, 7u);  // newest first
  CommitFilter last;
  last.limit = 2;
  EXPECT_EQ(index->Commits(last)->front().seq, 20u);
  CommitFilter range;
  range.min_seq = 5;
  range.max_seq = 8;
  std::vector<uint64_t> in_range;
  for (const auto& c : *index->Commits(range)) in_range.push_back(c.seq);
  EXPECT_EQ(in_range, (std::vector<uint64_t>{8, 7, 6, 5}));
  CommitFilter other_schema;
  other_schema.schema = "glue";
  EXPECT_TRUE(index->Commits(other_schema)->empty());
  CommitFilter same_schema;
  same_schema.schema = "dynamodb";
  same_schema.min_seq = 19;
  EXPECT_EQ(index->Commits(same_schema)->size(), 2u);
  EXPECT_EQ(**index->SeqAtOrBefore(7 * kDay + 5), 7u);
  EXPECT_FALSE(index->SeqAtOrBefore(kDay - 1)->has_value());
  auto c3 = **index->CommitAt(3);
  auto by_hash = *index->SeqsByHashPrefix(HashHex(c3.hash).substr(0, 10));
  EXPECT_EQ(by_hash, std::vector<uint64_t>{3});
  // Every prefix length, odd ones included, finds exactly the commits whose hex starts so.
  for (size_t len : {1u, 2u, 3u, 4u, 7u, 63u, 64u}) {
    const std::string prefix = HashHex(c3.hash).substr(0, len);
    std::vector<uint64_t> want;
    for (uint64_t seq = 1; seq <= 20 && want.size() < 20; ++seq) {
      if (HashHex((**index->CommitAt(seq)).hash).rfind(prefix, 0) == 0) want.push_back(seq);
    }
    EXPECT_EQ(*index->SeqsByHashPrefix(prefix), want) << prefix;
  }
}

// The seqs at which the model's table `name` changed.
std::set<uint64_t> ChangedAt(const std::vector<pb::DynamoSchema>& models, const std::string& name) {
  std::set<uint64_t> out;
  for (uint64_t s = 1; s < models.size(); ++s) {
    const auto& a = models[s - 1].tables();
    const auto& b = models[s].tables();
    bool in_a = a.count(name), in_b = b.count(name);
    if (in_a != in_b || (in_a && !MessageDifferencer::Equals(a.at(name), b.at(name)))) {
      out.insert(s);
    }
  }
  return out;
}

std::set<uint64_t> ListedFor(Index& index, const std::string& name) {
  CommitFilter f;
  f.object = name;
  std::set<uint64_t> listed;
  auto commits = index.Commits(f);
  EXPECT_TRUE(commits.ok()) << commits.status().ToString();
  if (commits.ok()) {
    for (const auto& c : *commits) listed.insert(c.seq);
  }
  return listed;
}

TEST_F(IndexTest, ObjectFilterListsExactlyTheCommitsThatTouchedIt) {
  Record(80, 11);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_EQ(ListedFor(*index, "t3"), ChangedAt(models_, "t3"));
}

// Each indexing run writes its own seq lists; questions about an object read them all.
TEST_F(IndexTest, ObjectHistorySpansIndexingRuns) {
  Record(30, 21);
  { auto index = OpenIndex(); }
  for (int run = 0; run < 3; ++run) {
    Record(7 + run, 22 + run);
    auto index = OpenIndex();
    ASSERT_TRUE(index);
    ASSERT_FALSE(index->sync_report().rebuilt);
  }
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  for (int t = 0; t < 10; ++t) {
    const std::string name = "t" + std::to_string(t);
    const std::set<uint64_t> expected = ChangedAt(models_, name);
    EXPECT_EQ(ListedFor(*index, name), expected) << name;
    auto seqs = index->SeqsTouching(name, 35);
    ASSERT_TRUE(seqs.ok());
    std::set<uint64_t> upto35;
    for (uint64_t s : expected) {
      if (s <= 35) upto35.insert(s);
    }
    EXPECT_EQ(std::set<uint64_t>(seqs->begin(), seqs->end()), upto35) << name;
  }
  // The same answers from an index built in one run.
  std::filesystem::remove(index_path_);
  auto rebuilt = OpenIndex();
  ASSERT_TRUE(rebuilt);
  for (int t = 0; t < 10; ++t) {
    const std::string name = "t" + std::to_string(t);
    EXPECT_EQ(ListedFor(*rebuilt, name), ChangedAt(models_, name)) << name;
  }
}

// An index written by another version of strata (another format number) is rebuilt, and
// the note says why.
TEST_F(IndexTest, IndexOfAnotherFormatIsRebuilt) {
  Record(20, 31);
  { auto index = OpenIndex(); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(index_path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = 3 WHERE key = 'format'", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->sync_report().rebuilt);
  EXPECT_EQ(index->sync_report().reason, "the index was written in another format");
  ExpectStateMatchesModel(*index, 20);
  ExpectStateMatchesModel(*index, 11);
}

// A damaged checkpoint block is Corruption that names the index file and how to rebuild it,
// never a crash or a wrong state; deleting the file brings the right answers back.
TEST_F(IndexTest, DamagedCheckpointBlockSaysHowToRebuild) {
  Record(60, 41);
  { auto index = OpenIndex(); }
  const std::vector<std::string> damage = {
      "UPDATE checkpoint_blocks SET data = X'00'",                  // not zstd
      "UPDATE checkpoint_blocks SET data = X'28B52FFD2000010000'",  // a frame of no bytes
  };
  for (const std::string& sql : damage) {
    {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(index_path_.c_str(), &db), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      ASSERT_GT(sqlite3_changes(db), 0);
      sqlite3_close(db);
    }
    auto index = OpenIndex();
    ASSERT_TRUE(index);
    auto state = index->StateAt(60);
    ASSERT_FALSE(state.ok()) << sql;
    EXPECT_EQ(state.status().code(), Code::kCorruption);
    EXPECT_NE(state.status().message().find("rm " + index_path_), std::string::npos)
        << state.status().ToString();
    index.reset();
    std::filesystem::remove(index_path_);
    index = OpenIndex();
    ExpectStateMatchesModel(*index, 60);
  }
}

// A replay reads the log up to where the index says its last commit is. When the commit is not
// there, the index is wrong, and the error says so and how to rebuild it.
TEST_F(IndexTest, WrongCommitPositionInTheIndexSaysHowToRebuild) {
  Record(60, 43);
  { auto index = OpenIndex(); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(index_path_.c_str(), &db), SQLITE_OK);
  // A seq at least four commits past the checkpoint before it.
  std::vector<uint64_t> checkpoints;
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT seq FROM checkpoints ORDER BY seq", -1, &q, nullptr),
            SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    checkpoints.push_back(static_cast<uint64_t>(sqlite3_column_int64(q, 0)));
  }
  sqlite3_finalize(q);
  uint64_t seq = 0;
  for (uint64_t s = 60; s > 4 && seq == 0; --s) {
    auto before = std::upper_bound(checkpoints.begin(), checkpoints.end(), s);
    const uint64_t from = before == checkpoints.begin() ? 0 : *std::prev(before);
    if (from + 4 <= s && from != s) seq = s;
  }
  ASSERT_GT(seq, 0u);
  const std::string sql = fmt::format(
      "UPDATE commits SET segment = (SELECT segment FROM commits WHERE seq = {0}), "
      "offset = (SELECT offset FROM commits WHERE seq = {0}), "
      "stored_size = (SELECT stored_size FROM commits WHERE seq = {0}) WHERE seq = {1}",
      seq - 2, seq);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  auto state = index->StateAt(seq);
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), Code::kCorruption);
  EXPECT_NE(state.status().message().find(fmt::format(
                "commit {} is not where it was looked for", seq)),
            std::string::npos)
      << state.status().ToString();
  EXPECT_NE(state.status().message().find("rm " + index_path_), std::string::npos)
      << state.status().ToString();
  index.reset();
  std::filesystem::remove(index_path_);
  index = OpenIndex();
  ExpectStateMatchesModel(*index, seq);
}

TEST_F(IndexTest, TagsAndCursorsComeFromTheLog) {
  Record(5, 12);
  {
    auto w = CommitWriter::Open(env_.get(), log_, LogOptions{});
    pb::Commit tag;
    tag.set_origin(pb::ORIGIN_TAG);
    tag.mutable_tag()->set_name("v1");
    tag.mutable_tag()->set_target_seq(3);
    ASSERT_TRUE((*w)->Append(tag).ok());
    pb::Commit deploy;
    deploy.set_origin(pb::ORIGIN_DEPLOY);
    deploy.mutable_deployment()->set_target("prod");
    deploy.mutable_deployment()->set_to_seq(5);
    deploy.mutable_deployment()->set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    ASSERT_TRUE((*w)->Append(deploy).ok());
    tag.mutable_tag()->set_deleted(true);
    pb::Commit other = tag;
    other.mutable_tag()->set_name("v0");
    other.mutable_tag()->set_deleted(false);
    ASSERT_TRUE((*w)->Append(other).ok());
  }
  auto index = OpenIndex();
  ASSERT_TRUE(index);
  EXPECT_EQ(**index->TagSeq("v1"), 3u);
  auto tags = *index->Tags();
  ASSERT_EQ(tags.size(), 2u);
  auto cursors = *index->Cursors();
  ASSERT_EQ(cursors.size(), 1u);
  EXPECT_EQ(cursors[0].target, "prod");
  EXPECT_EQ(cursors[0].seq, 5u);
  // Seqs 1-5 change the schema; 6 (tag), 7 (deployment) and 8 (tag) do not: "~N" skips them.
  EXPECT_EQ(**index->SchemaChangeBack(8, 0), 5u);
  EXPECT_EQ(**index->SchemaChangeBack(8, 1), 4u);
  EXPECT_EQ(**index->SchemaChangeBack(7, 4), 1u);
  EXPECT_EQ(**index->SchemaChangeBack(3, 1), 2u);
  EXPECT_FALSE(index->SchemaChangeBack(8, 5)->has_value());
  EXPECT_FALSE(index->SchemaChangeBack(8, std::numeric_limits<uint64_t>::max())->has_value());
}

// Several processes opening one index file that does not exist yet, at the same moment (each
// forked, held at a gate and released together): every one of them must open it and see the
// log's head, whichever creates the file, switches it to WAL or writes its format first.
TEST_F(IndexTest, ProcessesOpeningANewIndexAtOnceAllSucceed) {
  Record(5, 9);
  constexpr int kRounds = 20, kProcesses = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = tmp_ / ("at-once-" + std::to_string(round) + ".sqlite");
    int gate[2];
    ASSERT_EQ(pipe(gate), 0);
    std::vector<pid_t> pids;
    std::vector<std::string> reports;
    for (int p = 0; p < kProcesses; ++p) {
      reports.push_back(path + ".report" + std::to_string(p));
      const pid_t pid = fork();
      if (pid == 0) {
        close(gate[1]);
        char c;
        while (read(gate[0], &c, 1) > 0) {
        }
        std::string report = "ok";
        auto reader = CommitReader::Open(env_.get(), log_);
        if (!reader.ok()) {
          report = reader.status().ToString();
        } else {
          auto index = Index::Open(path, reader->get(), options_);
          if (!index.ok()) {
            report = index.status().ToString();
          } else if ((*index)->head_seq() != 5) {
            report = "head seq " + std::to_string((*index)->head_seq());
          }
        }
        std::ofstream(reports.back()) << report;
        _exit(report == "ok" ? 0 : 1);
      }
      ASSERT_GT(pid, 0);
      pids.push_back(pid);
    }
    close(gate[0]);
    close(gate[1]);  // release them together
    for (int p = 0; p < kProcesses; ++p) {
      int status = 0;
      ASSERT_EQ(waitpid(pids[p], &status, 0), pids[p]);
      std::ifstream in(reports[p]);
      std::string report((std::istreambuf_iterator<char>(in)), {});
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "round " << round << ", process " << p << ": " << report;
    }
  }
}

}  // namespace
}  // namespace strata
