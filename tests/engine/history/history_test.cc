// History: the questions commands ask of the log (a schema's state at a seq, a target's
// cursor, the objects and migrations ever recorded, the changes after a seq), asked of logs
// written here with the engine's own commit writer and the drafts of the recording path.
#include "engine/history/history.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/record/draft.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata {
namespace {

using record::Draft;
using Names = std::set<std::string>;

pb::Event DynamoCreate(const std::string& name) { return testing::CreateTableEvent(name); }

pb::Event DynamoDrop(const std::string& name) { return testing::DropTableEvent(name); }

pb::Event PgCreateSchema(const std::string& name) {
  pb::Event e;
  e.mutable_postgres()->mutable_create_schema()->mutable_schema()->set_name(name);
  return e;
}

pb::Deployment Deployed(const std::string& target, uint64_t from, uint64_t to,
                        pb::DeploymentOutcome outcome) {
  pb::Deployment d;
  d.set_target(target);
  d.set_from_seq(from);
  d.set_to_seq(to);
  d.set_outcome(outcome);
  return d;
}

pb::MigrationBody Migration(const std::string& name) {
  pb::MigrationBody m;
  m.set_name(name);
  m.set_track("core");
  m.set_sql("-- " + name);
  return m;
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override { env_ = NewPosixEnv(); }

  // Appends the drafts in order, one second apart; returns the seq of the last.
  uint64_t Write(std::vector<Draft> drafts) {
    auto w = CommitWriter::Open(env_.get(), log_dir(), LogOptions{});
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    if (!w.ok()) return 0;
    uint64_t seq = 0;
    for (const Draft& d : drafts) {
      pb::Commit c = d.commit();
      c.set_time_unix_micros(1'000'000 * static_cast<int64_t>((*w)->head().seq + 1));
      c.mutable_actor()->set_name("alice");
      auto stored = (*w)->Append(c);
      EXPECT_TRUE(stored.ok()) << stored.status().ToString();
      if (stored.ok()) seq = stored->commit.seq();
    }
    return seq;
  }

  std::unique_ptr<History> Open() {
    HistoryOptions o;
    o.env = env_.get();
    o.log_dir = log_dir();
    auto h = History::Open(o);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? std::move(h).value() : nullptr;
  }

  // A DynamoDB schema "dynamodb" deployed to dev twice and to prod once (failed), with a
  // dropped table, a tag, and a PostgreSQL schema "app" with migrations:
  //   1 generate dynamodb: create orders, users
  //   2 deploy dynamodb to dev (0 -> 1)
  //   3 generate dynamodb: drop users
  //   4 deploy dynamodb to dev (1 -> 3)
  //   5 deploy dynamodb to prod (0 -> 1), failed
  //   6 tag v1 -> 3
  //   7 migrate app: 20260101_core_init creates schema billing
  //   8 deploy app to app-db (0 -> 7) carrying 20260102_core_noop (no events)
  //   9 generate dynamodb: create carts
  void WriteMixedLog() {
    std::vector<Draft> d;
    d.push_back(Draft::Generate("dynamodb", pb::ENGINE_DYNAMODB,
                                {DynamoCreate("orders"), DynamoCreate("users")}, "first tables"));
    d.push_back(Draft::Deploy("dynamodb", pb::ENGINE_DYNAMODB,
                              Deployed("dev", 0, 1, pb::DEPLOYMENT_SUCCEEDED), "apply dev"));
    d.push_back(Draft::Generate("dynamodb", pb::ENGINE_DYNAMODB, {DynamoDrop("users")},
                                "users moves to the accounts service"));
    d.push_back(Draft::Deploy("dynamodb", pb::ENGINE_DYNAMODB,
                              Deployed("dev", 1, 3, pb::DEPLOYMENT_SUCCEEDED), "apply dev"));
    d.push_back(Draft::Deploy("dynamodb", pb::ENGINE_DYNAMODB,
                              Deployed("prod", 0, 1, pb::DEPLOYMENT_FAILED), "apply prod"));
    d.push_back(Draft::Tag("v1", 3, false, "release"));
    d.push_back(Draft::Migrate("app", Migration("20260101_core_init"),
                               {PgCreateSchema("billing")}, "migrate"));
    d.push_back(Draft::MigrationDeploy("app", Migration("20260102_core_noop"),
                                       Deployed("app-db", 0, 7, pb::DEPLOYMENT_SUCCEEDED),
                                       "migrate app-db"));
    d.push_back(Draft::Generate("dynamodb", pb::ENGINE_DYNAMODB, {DynamoCreate("carts")},
                                "carts"));
    ASSERT_EQ(Write(std::move(d)), 9u);
  }

  std::string log_dir() const { return tmp_ / "log"; }

  std::unique_ptr<Env> env_;
  testing::TempDir tmp_;
};

Names TablesOf(const pb::SchemaState& s) {
  Names out;
  for (const auto& [name, t] : s.dynamodb().tables()) out.insert(name);
  return out;
}

std::vector<uint64_t> SeqsOf(const std::vector<CommitSummary>& commits) {
  std::vector<uint64_t> out;
  for (const auto& c : commits) out.push_back(c.seq);
  return out;
}

TEST_F(HistoryTest, OpeningAMissingLogGivesAnEmptyHistory) {
  auto h = Open();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->head().seq, 0u);
  EXPECT_EQ(h->HeadSeq(), 0u);
  auto s = h->SchemaAt(0, "dynamodb");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->engine(), pb::ENGINE_UNSPECIFIED);
  EXPECT_EQ(s->kind_case(), pb::SchemaState::KIND_NOT_SET);
}

TEST_F(HistoryTest, SchemaAtOfASchemaNeverRecordedIsEmpty) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto s = h->SchemaAt(9, "glue");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->engine(), pb::ENGINE_UNSPECIFIED);
  EXPECT_EQ(s->kind_case(), pb::SchemaState::KIND_NOT_SET);
  // A schema recorded later is empty before its first commit.
  auto before = h->SchemaAt(6, "app");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->engine(), pb::ENGINE_UNSPECIFIED);
  auto after = h->SchemaAt(7, "app");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->engine(), pb::ENGINE_POSTGRES);
  EXPECT_EQ(after->postgres().namespaces().count("billing"), 1u);
}

TEST_F(HistoryTest, SchemaAtReplaysToTheSeqAsked) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->head().seq, 9u);
  const std::vector<std::pair<uint64_t, Names>> expected = {
      {1, {"orders", "users"}}, {2, {"orders", "users"}}, {3, {"orders"}},
      {8, {"orders"}},          {9, {"carts", "orders"}}};
  for (const auto& [seq, tables] : expected) {
    auto s = h->SchemaAt(seq, "dynamodb");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->engine(), pb::ENGINE_DYNAMODB) << "seq " << seq;
    EXPECT_EQ(TablesOf(*s), tables) << "seq " << seq;
  }
}

TEST_F(HistoryTest, CursorIsTheTargetsNewestDeployment) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto dev = h->Cursor("dev");
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  ASSERT_TRUE(dev->has_value());
  EXPECT_EQ((*dev)->target, "dev");
  EXPECT_EQ((*dev)->seq, 3u);             // the second deployment's to_seq
  EXPECT_EQ((*dev)->deployment_seq, 4u);  // recorded by commit 4
  EXPECT_EQ((*dev)->outcome, pb::DEPLOYMENT_SUCCEEDED);

  auto prod = h->Cursor("prod");
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  ASSERT_TRUE(prod->has_value());
  EXPECT_EQ((*prod)->seq, 1u);
  EXPECT_EQ((*prod)->deployment_seq, 5u);
  EXPECT_EQ((*prod)->outcome, pb::DEPLOYMENT_FAILED);

  auto app_db = h->Cursor("app-db");
  ASSERT_TRUE(app_db.ok()) << app_db.status().ToString();
  ASSERT_TRUE(app_db->has_value());
  EXPECT_EQ((*app_db)->seq, 7u);
  EXPECT_EQ((*app_db)->deployment_seq, 8u);
}

TEST_F(HistoryTest, CursorOfATargetNeverDeployedIsEmpty) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto staging = h->Cursor("staging");
  ASSERT_TRUE(staging.ok()) << staging.status().ToString();
  EXPECT_FALSE(staging->has_value());
  // Names are exact: no prefix match.
  auto de = h->Cursor("de");
  ASSERT_TRUE(de.ok());
  EXPECT_FALSE(de->has_value());
}

TEST_F(HistoryTest, CursorMovesWithADeploymentWrittenAfterTheHistoryWasFirstOpened) {
  WriteMixedLog();
  ASSERT_TRUE(Open());
  ASSERT_EQ(Write({Draft::Deploy("dynamodb", pb::ENGINE_DYNAMODB,
                                 Deployed("dev", 3, 9, pb::DEPLOYMENT_PARTIAL), "apply dev")}),
            10u);
  auto h = Open();
  ASSERT_TRUE(h);
  auto dev = h->Cursor("dev");
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  ASSERT_TRUE(dev->has_value());
  EXPECT_EQ((*dev)->seq, 9u);
  EXPECT_EQ((*dev)->deployment_seq, 10u);
  EXPECT_EQ((*dev)->outcome, pb::DEPLOYMENT_PARTIAL);
}

TEST_F(HistoryTest, ObjectsEverRecordedIncludeDroppedTables) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto objects = h->ObjectsEverRecorded("dynamodb");
  ASSERT_TRUE(objects.ok()) << objects.status().ToString();
  EXPECT_EQ(*objects, (Names{"carts", "orders", "users"}));
  // Only that schema's objects.
  auto app = h->ObjectsEverRecorded("app");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(*app, (Names{"billing"}));
  auto none = h->ObjectsEverRecorded("glue");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
}

TEST_F(HistoryTest, MigrationsRecordedNameEveryCommitCarryingAMigrationOfTheSchema) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto app = h->MigrationsRecorded("app");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  // The applied one and the one a deployment carried (it changed nothing, but it ran).
  EXPECT_EQ(*app, (Names{"20260101_core_init", "20260102_core_noop"}));
  auto dynamo = h->MigrationsRecorded("dynamodb");
  ASSERT_TRUE(dynamo.ok()) << dynamo.status().ToString();
  EXPECT_TRUE(dynamo->empty());
}

TEST_F(HistoryTest, MigrationsRecordedIncludeOnesRecordedAfterTheFact) {
  ASSERT_EQ(Write({Draft::Recovered("app", Migration("20260103_core_late"),
                                    {PgCreateSchema("late")}, "recovered")}),
            1u);
  auto h = Open();
  ASSERT_TRUE(h);
  auto app = h->MigrationsRecorded("app");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(*app, (Names{"20260103_core_late"}));
}

TEST_F(HistoryTest, ChangesAfterSkipCommitsWithoutEventsAndOtherSchemas) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  // After seq 1: 2, 4 and 5 are deployments, 6 a tag, 7 and 8 another schema.
  auto after1 = h->ChangesAfter("dynamodb", 1);
  ASSERT_TRUE(after1.ok()) << after1.status().ToString();
  EXPECT_EQ(SeqsOf(*after1), (std::vector<uint64_t>{9, 3}));  // newest first
  EXPECT_EQ((*after1)[1].message, "users moves to the accounts service");
  EXPECT_EQ((*after1)[1].event_count, 1u);

  auto all = h->ChangesAfter("dynamodb", 0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(SeqsOf(*all), (std::vector<uint64_t>{9, 3, 1}));

  // The seq itself is not "after" it.
  auto after3 = h->ChangesAfter("dynamodb", 3);
  ASSERT_TRUE(after3.ok());
  EXPECT_EQ(SeqsOf(*after3), (std::vector<uint64_t>{9}));

  auto at_head = h->ChangesAfter("dynamodb", 9);
  ASSERT_TRUE(at_head.ok());
  EXPECT_TRUE(at_head->empty());

  // The migration deployment (8) carries no events: only the migration that changed the
  // schema counts.
  auto app = h->ChangesAfter("app", 0);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(SeqsOf(*app), (std::vector<uint64_t>{7}));
}

TEST_F(HistoryTest, RefsResolveThroughTheHistory) {
  WriteMixedLog();
  auto h = Open();
  ASSERT_TRUE(h);
  auto tag = h->Resolve("v1");
  ASSERT_TRUE(tag.ok()) << tag.status().ToString();
  EXPECT_EQ(*tag, 3u);
  // ~N counts the schema changes 1, 3, 7 and 9 only: deployments (2, 4, 5, 8) and the tag (6)
  // are stepped over.
  auto head = h->Resolve("HEAD~2");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(*head, 3u);
  EXPECT_EQ(*h->Resolve("HEAD~1"), 7u);
  EXPECT_EQ(*h->Resolve("8~1"), 3u);
  EXPECT_EQ(*h->Resolve("6~1"), 1u);
  EXPECT_EQ(h->Resolve("HEAD~4").status().message(),
            "HEAD~4 goes back past the first schema change");
}

}  // namespace
}  // namespace strata
