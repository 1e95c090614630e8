#include "engine/record/draft.h"

#include <gtest/gtest.h>

namespace strata::record {
namespace {

pb::Event DropTable(const std::string& name) {
  pb::Event e;
  e.mutable_dynamodb()->mutable_drop_table()->set_table(name);
  return e;
}

pb::MigrationBody Body(const std::string& name) {
  pb::MigrationBody b;
  b.set_name(name);
  b.set_track("core");
  b.set_sql("create table t (id int);");
  return b;
}

TEST(DraftTest, IntentsCarryOriginSchemaEngineEventsAndMessage) {
  const struct {
    Draft draft;
    pb::Origin origin;
  } cases[] = {
      {Draft::Generate("ddb", pb::ENGINE_DYNAMODB, {DropTable("a")}, "m"), pb::ORIGIN_GENERATE},
      {Draft::Push("ddb", pb::ENGINE_DYNAMODB, {DropTable("a")}, "m"), pb::ORIGIN_PUSH},
      {Draft::Import("ddb", pb::ENGINE_DYNAMODB, {DropTable("a")}, "m"), pb::ORIGIN_IMPORT},
      {Draft::Drop("ddb", pb::ENGINE_DYNAMODB, {DropTable("a")}, "m"), pb::ORIGIN_DROP},
  };
  for (const auto& c : cases) {
    const pb::Commit& commit = c.draft.commit();
    EXPECT_EQ(commit.origin(), c.origin);
    EXPECT_EQ(commit.schema(), "ddb");
    EXPECT_EQ(commit.engine(), pb::ENGINE_DYNAMODB);
    EXPECT_EQ(commit.message(), "m");
    ASSERT_EQ(commit.events_size(), 1);
    EXPECT_EQ(commit.events(0).dynamodb().drop_table().table(), "a");
    // What the recorder sets is left unset.
    EXPECT_EQ(commit.seq(), 0u);
    EXPECT_TRUE(commit.prev_hash().empty());
    EXPECT_EQ(commit.time_unix_micros(), 0);
    EXPECT_FALSE(commit.has_actor());
    EXPECT_FALSE(c.draft.empty_change());
  }
}

TEST(DraftTest, MigrationsArePostgresAndCarryTheirBody) {
  Draft migrate = Draft::Migrate("app", Body("0001_init"), {}, "migrate 0001_init");
  EXPECT_EQ(migrate.commit().origin(), pb::ORIGIN_MIGRATE);
  EXPECT_EQ(migrate.commit().engine(), pb::ENGINE_POSTGRES);
  EXPECT_EQ(migrate.commit().migration().name(), "0001_init");
  EXPECT_EQ(migrate.commit().migration().sql(), "create table t (id int);");
  EXPECT_FALSE(migrate.empty_change()) << "a migration that changed no schema still ran";

  Draft recovered = Draft::Recovered("app", Body("0002_x"), {}, "recovered");
  EXPECT_EQ(recovered.commit().origin(), pb::ORIGIN_RECOVERED);
  EXPECT_EQ(recovered.commit().engine(), pb::ENGINE_POSTGRES);
}

TEST(DraftTest, FactsCarryTheirDeploymentOrTag) {
  pb::Deployment d;
  d.set_target("prod");
  d.set_to_seq(7);
  d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
  Draft deploy = Draft::Deploy("ddb", pb::ENGINE_DYNAMODB, d, "deploy");
  EXPECT_EQ(deploy.commit().origin(), pb::ORIGIN_DEPLOY);
  EXPECT_EQ(deploy.commit().deployment().target(), "prod");
  EXPECT_EQ(deploy.commit().deployment().to_seq(), 7u);
  EXPECT_EQ(deploy.commit().events_size(), 0);
  EXPECT_FALSE(deploy.empty_change());

  Draft md = Draft::MigrationDeploy("app", Body("0001_init"), d, "deploy 0001_init",
                                    pb::ORIGIN_RECOVERED);
  EXPECT_EQ(md.commit().origin(), pb::ORIGIN_RECOVERED);
  EXPECT_EQ(md.commit().engine(), pb::ENGINE_POSTGRES);
  EXPECT_EQ(md.commit().migration().name(), "0001_init");
  EXPECT_EQ(md.commit().deployment().target(), "prod");
  EXPECT_EQ(Draft::MigrationDeploy("app", Body("a"), d, "x").commit().origin(),
            pb::ORIGIN_DEPLOY);

  Draft tag = Draft::Tag("v1", 3, false, "add tag v1");
  EXPECT_EQ(tag.commit().origin(), pb::ORIGIN_TAG);
  EXPECT_EQ(tag.commit().schema(), "");
  EXPECT_EQ(tag.commit().tag().name(), "v1");
  EXPECT_EQ(tag.commit().tag().target_seq(), 3u);
  EXPECT_FALSE(tag.commit().tag().deleted());
  EXPECT_TRUE(Draft::Tag("v1", 3, true, "delete").commit().tag().deleted());
}

TEST(DraftTest, EmptyChangeAndCloudPrincipal) {
  Draft nothing = Draft::Generate("ddb", pb::ENGINE_DYNAMODB, {}, "no changes");
  EXPECT_TRUE(nothing.empty_change());
  nothing.set_cloud_principal("arn:aws:iam::123456789012:user/alice");
  EXPECT_TRUE(nothing.empty_change()) << "an actor is no change";
  EXPECT_EQ(nothing.commit().actor().cloud_principal(), "arn:aws:iam::123456789012:user/alice");
}

}  // namespace
}  // namespace strata::record
