// ApplyCommit is all or nothing: a commit whose k-th event fails leaves the state exactly as
// it was, for every engine, however many objects the events before it changed.
#include "engine/state/object_undo.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "tests/engine/testing/random_dynamo.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

pb::SchemaState Wrap(pb::DynamoSchema s) {
  pb::SchemaState out;
  out.set_engine(pb::ENGINE_DYNAMODB);
  *out.mutable_dynamodb() = std::move(s);
  return out;
}
pb::SchemaState Wrap(pb::GlueSchema s) {
  pb::SchemaState out;
  out.set_engine(pb::ENGINE_GLUE);
  *out.mutable_glue() = std::move(s);
  return out;
}
pb::SchemaState Wrap(pb::PostgresSchema s) {
  pb::SchemaState out;
  out.set_engine(pb::ENGINE_POSTGRES);
  *out.mutable_postgres() = std::move(s);
  return out;
}

// An event of the schema's engine that cannot apply: it drops something that is not there.
pb::Event Impossible(pb::Engine engine) {
  pb::Event e;
  switch (engine) {
    case pb::ENGINE_DYNAMODB: e.mutable_dynamodb()->mutable_drop_table()->set_table("nowhere"); break;
    case pb::ENGINE_GLUE: e.mutable_glue()->mutable_drop_database()->set_database("nowhere"); break;
    default: e.mutable_postgres()->mutable_drop_schema()->set_schema("nowhere"); break;
  }
  return e;
}

// For random pairs (a, b): the commit Diff(a, b) with an impossible event put at a random
// place fails and leaves {schema: a}; without it, it gives b.
template <typename Random>
void CheckAllOrNothing(int pairs, uint64_t seed) {
  Random rnd(seed);
  int failed_after_changes = 0;
  for (int i = 0; i < pairs; ++i) {
    const pb::SchemaState a = Wrap(rnd.Schema());
    const pb::SchemaState b = Wrap(rnd.Schema());
    auto events = Diff(a, b);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    pb::State state;
    state.set_seq(3);
    (*state.mutable_schemas())["s"] = a;
    (*state.mutable_schemas())["other"] = b;  // untouched by the commit
    const pb::State before = state;

    pb::Commit commit;
    commit.set_seq(4);
    commit.set_schema("s");
    const int at = rnd.Int(0, static_cast<int>(events->size()));
    for (int k = 0; k < static_cast<int>(events->size()); ++k) {
      if (k == at) *commit.add_events() = Impossible(a.engine());
      *commit.add_events() = (*events)[k];
    }
    if (at == static_cast<int>(events->size())) *commit.add_events() = Impossible(a.engine());
    if (at > 0) ++failed_after_changes;

    Status s = ApplyCommit(commit, &state);
    ASSERT_EQ(s.code(), Code::kNotFound) << s.ToString();
    EXPECT_EQ(s.message().rfind("commit 4 event " + std::to_string(at + 1) + ": ", 0), 0u)
        << s.message();
    std::string report;
    MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    ASSERT_TRUE(d.Compare(before, state)) << "pair " << i << ", bad event at " << at << "\n"
                                          << report;

    commit.mutable_events()->DeleteSubrange(at, 1);
    ASSERT_TRUE(ApplyCommit(commit, &state).ok());
    EXPECT_TRUE(MessageDifferencer::Equals(state.schemas().at("s"), b)) << "pair " << i;
    EXPECT_EQ(state.seq(), 4u);
  }
  // The property says something only if failures came after real changes.
  EXPECT_GT(failed_after_changes, pairs / 2);
}

TEST(ApplyCommitPropertyTest, DynamoFailureRestoresEverything) {
  CheckAllOrNothing<testing::RandomDynamo>(800, 11);
}
TEST(ApplyCommitPropertyTest, GlueFailureRestoresEverything) {
  CheckAllOrNothing<testing::RandomGlue>(800, 12);
}
TEST(ApplyCommitPropertyTest, PostgresFailureRestoresEverything) {
  CheckAllOrNothing<testing::RandomPostgres>(800, 13);
}

TEST(ObjectUndoTest, FirstSaveWinsAndAbsentObjectsAreRemoved) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  (*s.mutable_dynamodb()->mutable_tables())["a"].set_name("a");
  const pb::SchemaState original = s;
  ObjectUndo undo;
  undo.Save(s, "a");
  undo.Save(s, "b");
  (*s.mutable_dynamodb()->mutable_tables())["a"].set_name("changed");
  undo.Save(s, "a");  // ignored: "a" was saved before the change
  (*s.mutable_dynamodb()->mutable_tables())["b"].set_name("b");
  undo.Restore(&s);
  EXPECT_TRUE(MessageDifferencer::Equals(s, original)) << s.ShortDebugString();
}

}  // namespace
}  // namespace strata
