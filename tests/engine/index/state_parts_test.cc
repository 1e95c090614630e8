#include "engine/index/state_parts.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "tests/engine/testing/random_dynamo.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

// Random valid DynamoDB commits on tables t0..t9 (schema "dynamodb"), seqs from 1, with the
// schema after the last one.
struct History {
  std::vector<pb::Commit> commits;
  pb::DynamoSchema last;
};

History RandomHistory(int count, uint64_t seed) {
  History h;
  testing::RandomDynamo rnd(seed);
  while (static_cast<int>(h.commits.size()) < count) {
    pb::DynamoSchema next = rnd.Mutated(h.last);
    pb::SchemaState a, b;
    a.set_engine(pb::ENGINE_DYNAMODB);
    b.set_engine(pb::ENGINE_DYNAMODB);
    *a.mutable_dynamodb() = h.last;
    *b.mutable_dynamodb() = next;
    auto events = Diff(a, b);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    if (!events.ok() || events->empty()) continue;
    pb::Commit& c = h.commits.emplace_back();
    c.set_seq(h.commits.size());
    c.set_schema("dynamodb");
    c.set_engine(pb::ENGINE_DYNAMODB);
    for (auto& e : *events) *c.add_events() = e;
    h.last = std::move(next);
  }
  return h;
}

pb::Commit DropTables(uint64_t seq, const std::vector<std::string>& tables) {
  pb::Commit c;
  c.set_seq(seq);
  c.set_schema("dynamodb");
  c.set_engine(pb::ENGINE_DYNAMODB);
  for (const auto& t : tables) {
    c.add_events()->mutable_dynamodb()->mutable_drop_table()->set_table(t);
  }
  return c;
}

// Two empty parts of a DynamoDB schema split at `pivot`, on `arena`.
StateParts EmptyParts(google::protobuf::Arena* arena, const std::string& pivot) {
  StateParts parts;
  parts.first = google::protobuf::Arena::CreateMessage<pb::State>(arena);
  parts.second = google::protobuf::Arena::CreateMessage<pb::State>(arena);
  parts.split_schema = "dynamodb";
  parts.pivot = pivot;
  for (pb::State* s : {parts.first, parts.second}) {
    pb::SchemaState& schema = (*s->mutable_schemas())["dynamodb"];
    schema.set_engine(pb::ENGINE_DYNAMODB);
    schema.mutable_dynamodb();
  }
  return parts;
}

Status ReplayParts(StateParts* parts, const std::vector<pb::Commit>& commits) {
  for (const pb::Commit& c : commits) STRATA_RETURN_IF_ERROR(ApplyCommitToParts(c, parts));
  return Status::Ok();
}

// What one replay in order into one state says.
Status ReplayWhole(const std::vector<pb::Commit>& commits) {
  pb::State state;
  (*state.mutable_schemas())["dynamodb"].set_engine(pb::ENGINE_DYNAMODB);
  for (const pb::Commit& c : commits) {
    STRATA_RETURN_IF_ERROR(ApplyCommit(c, &state, OnFailure::kDiscard));
  }
  return Status::Ok();
}

TEST(StatePartsTest, ReplayInPartsJoinsIntoTheReplayOfTheWholeForAnyPivot) {
  for (uint64_t seed : {1, 2, 3}) {
    const History h = RandomHistory(300, seed);
    for (const std::string pivot : {"t0", "t3", "t5", "t9", "u"}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " pivot " + pivot);
      google::protobuf::Arena arena;
      StateParts parts = EmptyParts(&arena, pivot);
      ASSERT_TRUE(ReplayParts(&parts, h.commits).ok());
      EXPECT_EQ(parts.first->seq(), h.commits.back().seq());
      // Each part holds exactly its side of the pivot.
      size_t in_parts = 0;
      for (const auto& [name, _] : parts.first->schemas().at("dynamodb").dynamodb().tables()) {
        EXPECT_LT(name, pivot);
        ++in_parts;
      }
      for (const auto& [name, _] : parts.second->schemas().at("dynamodb").dynamodb().tables()) {
        EXPECT_GE(name, pivot);
        ++in_parts;
      }
      EXPECT_EQ(in_parts, static_cast<size_t>(h.last.tables_size()));
      pb::State* whole = JoinParts(parts);
      EXPECT_EQ(parts.second, nullptr);
      std::string report;
      MessageDifferencer d;
      d.ReportDifferencesToString(&report);
      EXPECT_TRUE(d.Compare(h.last, whole->schemas().at("dynamodb").dynamodb())) << report;
    }
  }
}

// A failure in either part is reported as a replay of the whole reports it.
TEST(StatePartsTest, FailuresReadAsOnTheWholeState) {
  const History h = RandomHistory(40, 7);
  const uint64_t n = h.commits.size();
  // "aaa" sorts before the pivot (first part), "zzz" after it (second part); neither exists.
  const std::vector<std::vector<pb::Commit>> tails = {
      {DropTables(n + 1, {"zzz"}), DropTables(n + 2, {"aaa"})},
      {DropTables(n + 1, {"aaa"}), DropTables(n + 2, {"zzz"})},
      {DropTables(n + 1, {"t1", "t1"})},
      {DropTables(n + 1, {"t7", "t7"})},
  };
  for (size_t k = 0; k < tails.size(); ++k) {
    std::vector<pb::Commit> commits = h.commits;
    commits.insert(commits.end(), tails[k].begin(), tails[k].end());
    const Status expected = ReplayWhole(commits);
    ASSERT_FALSE(expected.ok()) << "tail " << k;
    google::protobuf::Arena arena;
    StateParts parts = EmptyParts(&arena, "t5");
    const Status got = ReplayParts(&parts, commits);
    EXPECT_EQ(got.code(), expected.code()) << "tail " << k;
    EXPECT_EQ(got.message(), expected.message()) << "tail " << k;
  }
}

// Commits of other schemas, and a state with no split, go to the first part as they are.
TEST(StatePartsTest, OtherSchemasAndUnsplitStatesApplyToTheFirstPart) {
  const History h = RandomHistory(30, 5);
  google::protobuf::Arena arena;
  StateParts parts = EmptyParts(&arena, "t5");
  std::vector<pb::Commit> other = h.commits;
  for (pb::Commit& c : other) c.set_schema("other");
  ASSERT_TRUE(ReplayParts(&parts, other).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(h.last, parts.first->schemas().at("other").dynamodb()));
  EXPECT_EQ(parts.second->schemas().count("other"), 0u);
  EXPECT_EQ(parts.second->schemas().at("dynamodb").dynamodb().tables_size(), 0);

  StateParts whole;
  whole.first = google::protobuf::Arena::CreateMessage<pb::State>(&arena);
  ASSERT_TRUE(ReplayParts(&whole, h.commits).ok());
  const pb::State* joined = JoinParts(whole);
  EXPECT_TRUE(MessageDifferencer::Equals(h.last, joined->schemas().at("dynamodb").dynamodb()));
}

}  // namespace
}  // namespace strata
