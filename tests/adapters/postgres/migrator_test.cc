// The pure parts of the migrator: planning against history rows and the run/refuse decision.
// (Running against a server is tested in tests/integration/postgres/migrate_test.cc.)
#include "adapters/postgres/migrator.h"

#include <gtest/gtest.h>

namespace strata::postgres {
namespace {

MigrationFile File(const std::string& stem, const std::string& body) {
  MigrationFile f;
  f.name = *ParseMigrationStem(stem);
  f.path = "/m/" + stem + ".sql";
  f.sha256_hex = Sha256Hex(body);
  f.md5_hex = Md5Hex(body);
  return f;
}

AppliedMigration Row(const std::string& name, const std::string& hash) {
  AppliedMigration a;
  a.name = name;
  a.hash = hash;
  a.applied_at = "2024-01-01 00:00:00";
  return a;
}

std::vector<std::string> States(const TrackPlan& p) {
  std::vector<std::string> out;
  for (const auto& m : p.migrations) out.push_back(std::string(StateName(m.state)));
  return out;
}

MigrationTrack Track(std::vector<MigrationFile> files) {
  return MigrationTrack{files[0].name.track, std::move(files)};
}

TEST(PlanTrackTest, PendingIsWhatTheHistoryLacksNotAHighWaterMark) {
  const MigrationTrack t = Track({File("1_core_a", "a"), File("2_core_b", "b"), File("3_core_c", "c")});
  // 2 was applied, 1 and 3 were not: 1 is older than an applied migration.
  const TrackPlan p = PlanTrack(t, HistoryTable("public", "core"), true, {Row("2_core_b", Sha256Hex("b"))});
  EXPECT_EQ(States(p), (std::vector<std::string>{"out_of_order", "applied", "pending"}));
  ASSERT_EQ(p.ToRun().size(), 2u);
  EXPECT_EQ(p.ToRun()[0]->file->name.stem, "1_core_a");
  EXPECT_EQ(p.ToRun()[1]->file->name.stem, "3_core_c");
  EXPECT_EQ(p.Count(MigrationState::kApplied), 1u);
  EXPECT_TRUE(p.missing.empty());
}

TEST(PlanTrackTest, AnEmptyHistoryMakesEverythingPending) {
  const MigrationTrack t = Track({File("1_core_a", "a"), File("2_core_b", "b")});
  const TrackPlan p = PlanTrack(t, HistoryTable("public", "core"), false, {});
  EXPECT_EQ(States(p), (std::vector<std::string>{"pending", "pending"}));
  EXPECT_FALSE(p.table_exists);
}

TEST(PlanTrackTest, ChangedFilesAreModifiedAndMd5RowsMatch) {
  const MigrationTrack t = Track({File("1_core_a", "a"), File("2_core_b", "b v2"), File("3_core_c", "c")});
  const TrackPlan p = PlanTrack(t, HistoryTable("public", "core"), true,
                                {Row("1_core_a", Md5Hex("a")), Row("2_core_b", Sha256Hex("b")),
                                 Row("3_core_c", "DEADBEEF")});
  EXPECT_EQ(States(p), (std::vector<std::string>{"applied", "modified", "modified"}));
  EXPECT_EQ(p.migrations[0].match, HashMatch::kMd5);
  EXPECT_TRUE(p.ToRun().empty());
}

TEST(PlanTrackTest, RowsWithoutFilesAreMissingAndStillOrderThePending) {
  const MigrationTrack t = Track({File("1_core_a", "a"), File("5_core_e", "e")});
  const TrackPlan p = PlanTrack(t, HistoryTable("public", "core"), true,
                                {Row("3_core_gone", "x"), Row("not a migration name", "y")});
  EXPECT_EQ(States(p), (std::vector<std::string>{"out_of_order", "pending"}));
  ASSERT_EQ(p.missing.size(), 2u);
  EXPECT_EQ(p.missing[0].name, "3_core_gone");
}

TEST(PlanTrackTest, UpperCaseHashesMatch) {
  std::string upper = Sha256Hex("a");
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(MatchHash(upper, Sha256Hex("a"), Md5Hex("a")), HashMatch::kSha256);
  EXPECT_EQ(MatchHash(Md5Hex("b"), Sha256Hex("a"), Md5Hex("a")), HashMatch::kMismatch);
}

TEST(CheckRunnableTest, ListsEveryProblemOfEveryMigrationToApplyButNotOfAppliedOnes) {
  MigrationFile applied = File("1_core_a", "BEGIN; COMMIT;");
  applied.problems = CheckMigrationSql("BEGIN; COMMIT;", false);
  MigrationFile b = File("2_core_b", "b");
  b.problems = CheckMigrationSql("CREATE TABLE b (id int);\nCOMMIT;\n", false);
  MigrationFile c = File("3_core_c", "c");
  c.problems = CheckMigrationSql("-- strata: no-transaction\nBEGIN;\n", false);
  const MigrationTrack t = Track({applied, b, c});
  // 1 ran before the check existed: it stays applied and does not stop the project.
  const TrackPlan p = PlanTrack(t, HistoryTable("public", "core"), true,
                                {Row("1_core_a", Sha256Hex("BEGIN; COMMIT;"))});
  const Status s = CheckRunnable({p}, false);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(s.message().starts_with(
      "3 problem(s) in migrations to apply, which cannot run as written:\n"
      "  /m/2_core_b.sql:2: COMMIT inside a migration would end the one transaction"))
      << s.message();
  EXPECT_NE(s.message().find("\n  /m/3_core_c.sql:1: \"-- strata: no-transaction\" is not the "
                             "no-transaction marker"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("\n  /m/3_core_c.sql:2: BEGIN inside a migration"), std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("1_core_a"), std::string::npos) << s.message();
}

TEST(CheckRunnableTest, ModifiedAlwaysRefusesOutOfOrderOnlyWithoutPermission) {
  const MigrationTrack t = Track({File("1_core_a", "a"), File("2_core_b", "b")});
  const TrackPlan ooo = PlanTrack(t, HistoryTable("public", "core"), true, {Row("2_core_b", Sha256Hex("b"))});
  Status s = CheckRunnable({ooo}, false);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "1 pending migration(s) are older than a migration already applied in their track:\n"
            "  /m/1_core_a.sql\n"
            "rename them to a later timestamp, or apply them as they are with --allow-out-of-order");
  EXPECT_TRUE(CheckRunnable({ooo}, true).ok());

  const TrackPlan modified =
      PlanTrack(t, HistoryTable("public", "core"), true, {Row("1_core_a", Sha256Hex("old"))});
  s = CheckRunnable({modified}, true);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(), "1 applied migration(s) changed since they were applied:\n  /m/1_core_a.sql "
                         "(recorded hash " + Sha256Hex("old") + ", file now " + Sha256Hex("a") +
                         ")\nrestore what was applied and put the change in a new migration");
}

TEST(HistoryTableTest, NamesQuotingAndLockKeys) {
  const HistoryTable t("my schema", "we\"ird");
  EXPECT_EQ(t.table(), "migrations_we\"ird");
  EXPECT_EQ(t.QuotedName(), "\"my schema\".\"migrations_we\"\"ird\"");
  EXPECT_EQ(t.DisplayName(), "my schema.migrations_we\"ird");
  EXPECT_NE(t.LockKey(), HistoryTable("my schema", "other").LockKey());
  EXPECT_NE(t.LockKey(), HistoryTable("public", "we\"ird").LockKey());
  EXPECT_EQ(t.LockKey(), HistoryTable("my schema", "we\"ird").LockKey());
  const std::string sql = HistoryTable("public", "core").InsertInTransactionSql("1_core_it's", "ab");
  // The migration's own timeouts are lifted for the insert, for the rest of its transaction.
  EXPECT_EQ(sql,
            "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0; "
            "INSERT INTO \"public\".\"migrations_core\" (migration_name, migration_hash, applied_at, "
            "execution_time_ms) VALUES ('1_core_it''s', 'ab', now() AT TIME ZONE 'UTC', "
            "round(extract(epoch FROM clock_timestamp() - now()) * 1000)::integer)");
}

}  // namespace
}  // namespace strata::postgres
