#include "adapters/postgres/migration_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;

void Write(const std::string& path, const std::string& body, bool executable = false) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << body;
  if (executable) ::chmod(path.c_str(), 0755);
}

std::vector<std::string> Stems(const MigrationTrack& t) {
  std::vector<std::string> out;
  for (const auto& m : t.migrations) out.push_back(m.name.stem);
  return out;
}

std::vector<std::string> TrackNames(const std::vector<MigrationTrack>& tracks) {
  std::vector<std::string> out;
  for (const auto& t : tracks) out.push_back(t.name);
  return out;
}

TEST(MigrationFileNameTest, SplitsTimestampTrackAndDescription) {
  auto n = ParseMigrationFileName("20240101120000_core_add_users-table_v2.sql");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->timestamp, "20240101120000");
  EXPECT_EQ(n->track, "core");
  EXPECT_EQ(n->description, "add_users-table_v2");
  EXPECT_EQ(n->stem, "20240101120000_core_add_users-table_v2");
}

TEST(MigrationFileNameTest, TimestampsNeedNotBeDates) {
  auto n = ParseMigrationFileName("20241041125800_billing_x.sql");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->timestamp, "20241041125800");
  EXPECT_TRUE(ParseMigrationFileName("7_core_x.sql").ok());
}

TEST(MigrationFileNameTest, HostileTrackNamesAreAllowed) {
  auto n = ParseMigrationFileName("1_we\"ird tr'ack ü_do it.sql");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->track, "we\"ird tr'ack ü");
  EXPECT_EQ(n->description, "do it");
}

TEST(MigrationFileNameTest, MalformedNamesSayWhatIsExpected) {
  const std::string form =
      "; expected {timestamp}_{track}_{description}.sql, e.g. 20240101120000_core_add_users.sql "
      "(timestamp: digits; track: no '_'; description: may hold '_' and '-')";
  struct Case {
    const char* name;
    const char* why;
  } cases[] = {
      {"add_users.sql", "timestamp \"add\" is not all digits"},
      {"_core_x.sql", "no timestamp"},
      {"2024.sql", "no track and description"},
      {"2024_core.sql", "no description"},
      {"2024_core_.sql", "the description is empty"},
      {"2024__x.sql", "the track is empty"},
      {"2024-01-01_core_x.sql", "timestamp \"2024-01-01\" is not all digits"},
      {"2024_core_x.txt", "not a .sql file"},
      {"2024_core_x.check.sql", "a .check.sql file is a validation script, not a migration"},
  };
  for (const Case& c : cases) {
    auto n = ParseMigrationFileName(c.name);
    ASSERT_FALSE(n.ok()) << c.name;
    EXPECT_EQ(n.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(n.status().message(), std::string(c.name) + ": " + c.why + form) << c.name;
  }
}

TEST(MigrationFileNameTest, TrackNamesThatWouldOverflowTheHistoryTableNameAreRefused) {
  const std::string track(53, 't');
  auto n = ParseMigrationFileName("1_" + track + "_x.sql");
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("is 53 bytes"), std::string::npos) << n.status().message();
  EXPECT_TRUE(ParseMigrationFileName("1_" + std::string(52, 't') + "_x.sql").ok());
}

TEST(MigrationOrderTest, TimestampsCompareAsNumbersThenStems) {
  auto name = [](const char* s) { return *ParseMigrationStem(s); };
  EXPECT_TRUE(RunsBefore(name("9_core_a"), name("10_core_a")));
  EXPECT_FALSE(RunsBefore(name("10_core_a"), name("9_core_a")));
  EXPECT_TRUE(RunsBefore(name("09_core_z"), name("10_core_a")));
  EXPECT_TRUE(RunsBefore(name("5_core_a"), name("5_core_b")));
  EXPECT_FALSE(RunsBefore(name("5_core_a"), name("5_core_a")));
}

TEST(MigrationOrderTest, CoreTrackFirstThenAlphabetical) {
  std::vector<std::string> names = {"zeta", "alpha", "core", "Core", "beta"};
  std::sort(names.begin(), names.end(), TrackRunsBefore);
  EXPECT_EQ(names, (std::vector<std::string>{"core", "Core", "alpha", "beta", "zeta"}));
}

TEST(DiscoverTracksTest, ReadsATreeGroupsByTrackAndOrdersCoreFirst) {
  TempDir dir;
  Write(dir / "zeta/3_zeta_c.sql", "select 3;");
  Write(dir / "2_alpha_b.sql", "select 2;");
  Write(dir / "core/20_core_later.sql", "select 20;");
  Write(dir / "core/nested/9_core_first.sql", "select 9;");
  Write(dir / "README.md", "# notes");
  Write(dir / "core/notes.txt", "not a migration");
  Write(dir / ".git/1_core_hidden.sql", "hidden directories are skipped");
  Write(dir / ".1_core_hidden.sql", "hidden files are skipped");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_TRUE(tracks.ok()) << tracks.status().ToString();
  EXPECT_EQ(TrackNames(*tracks), (std::vector<std::string>{"core", "alpha", "zeta"}));
  EXPECT_EQ(Stems((*tracks)[0]), (std::vector<std::string>{"9_core_first", "20_core_later"}));
  EXPECT_EQ((*tracks)[0].migrations[0].path, dir / "core/nested/9_core_first.sql");
}

TEST(DiscoverTracksTest, ChecksumsAreOfTheFileBytes) {
  TempDir dir;
  Write(dir / "1_core_x.sql", "abc");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_TRUE(tracks.ok()) << tracks.status().ToString();
  const MigrationFile& m = (*tracks)[0].migrations[0];
  EXPECT_EQ(m.sha256_hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(m.md5_hex, "900150983cd24fb0d6963f7d28e17f72");
}

TEST(DiscoverTracksTest, AMalformedSqlFileIsAnErrorWithItsPath) {
  TempDir dir;
  Write(dir / "1_core_x.sql", "");
  Write(dir / "sub/seed.sql", "");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_EQ(tracks.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(tracks.status().message().rfind(dir / "sub/seed.sql: no track and description", 0), 0u)
      << tracks.status().message();
}

TEST(DiscoverTracksTest, UpperCaseSqlExtensionIsAnError) {
  TempDir dir;
  Write(dir / "1_core_x.SQL", "");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_EQ(tracks.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(tracks.status().message(),
            dir / "1_core_x.SQL" + ": migration files end in lower-case .sql; rename it");
}

TEST(DiscoverTracksTest, TheSameStemTwiceIsAnError) {
  TempDir dir;
  Write(dir / "a/1_core_x.sql", "");
  Write(dir / "b/1_core_x.sql", "");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_EQ(tracks.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(tracks.status().message(), "migration 1_core_x exists twice, " + (dir / "a/1_core_x.sql") +
                                           " and " + (dir / "b/1_core_x.sql") + "; keep one");
}

TEST(DiscoverTracksTest, MissingDirectoryIsNotFound) {
  auto tracks = DiscoverTracks("/no/such/migrations");
  EXPECT_EQ(tracks.status().code(), Code::kNotFound);
  EXPECT_EQ(tracks.status().message(), "/no/such/migrations: no such directory of migrations");
}

TEST(DiscoverTracksTest, ValidationScriptsAttachToTheirMigrationAndAreNotMigrations) {
  TempDir dir;
  Write(dir / "1_core_a.sql", "");
  Write(dir / "1_core_a.sh", "#!/bin/sh\n", true);
  Write(dir / "2_core_b.sql", "");
  Write(dir / "2_core_b.check.sql", "select 1 where false;");
  Write(dir / "3_core_c.sql", "");
  Write(dir / "3_core_c", "#!/bin/sh\n", true);
  Write(dir / "4_core_d.sql", "");
  Write(dir / "4_core_d.md", "notes about d are not a script");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_TRUE(tracks.ok()) << tracks.status().ToString();
  const auto& m = (*tracks)[0].migrations;
  ASSERT_EQ(m.size(), 4u);
  ASSERT_TRUE(m[0].validation);
  EXPECT_EQ(m[0].validation->kind, ValidationKind::kExecutable);
  EXPECT_EQ(m[0].validation->path, dir / "1_core_a.sh");
  ASSERT_TRUE(m[1].validation);
  EXPECT_EQ(m[1].validation->kind, ValidationKind::kCheckSql);
  ASSERT_TRUE(m[2].validation);
  EXPECT_EQ(m[2].validation->path, dir / "3_core_c");
  EXPECT_FALSE(m[3].validation);
}

TEST(DiscoverTracksTest, ValidationScriptProblemsAreErrors) {
  {
    TempDir dir;
    Write(dir / "1_core_a.sql", "");
    Write(dir / "1_core_a.sh", "#!/bin/sh\n");
    auto tracks = DiscoverTracks(dir.path());
    ASSERT_FALSE(tracks.ok());
    EXPECT_EQ(tracks.status().message(),
              dir / "1_core_a.sh" + ": validation script is not executable; run chmod +x on it");
  }
  {
    TempDir dir;
    Write(dir / "1_core_a.sql", "");
    Write(dir / "1_core_typo.check.sql", "");
    auto tracks = DiscoverTracks(dir.path());
    ASSERT_FALSE(tracks.ok());
    EXPECT_EQ(tracks.status().message(),
              dir / "1_core_typo.check.sql" +
                  ": validation script without its migration: no 1_core_typo.sql beside it; "
                  "rename or remove it");
  }
  {
    TempDir dir;
    Write(dir / "1_core_a.sql", "");
    Write(dir / "1_core_a.check.sql", "");
    Write(dir / "1_core_a.sh", "#!/bin/sh\n", true);
    auto tracks = DiscoverTracks(dir.path());
    ASSERT_FALSE(tracks.ok());
    EXPECT_EQ(tracks.status().message(),
              dir / "1_core_a.sql" +
                  ": migration 1_core_a has two validation scripts, 1_core_a.check.sql and "
                  "1_core_a.sh; keep one");
  }
  {
    // A script in another directory than its migration is not its validation.
    TempDir dir;
    Write(dir / "a/1_core_a.sql", "");
    Write(dir / "b/1_core_a.sh", "#!/bin/sh\n", true);
    EXPECT_FALSE(DiscoverTracks(dir.path()).ok());
  }
}

TEST(NoTransactionHeaderTest, OnlyInTheLeadingComments) {
  EXPECT_TRUE(HasNoTransactionHeader("-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);"));
  EXPECT_TRUE(HasNoTransactionHeader("\n-- Adds an index.\n  -- strata:no-transaction  \r\n\nselect 1;"));
  EXPECT_FALSE(HasNoTransactionHeader("select 1;\n-- strata:no-transaction\n"));
  EXPECT_FALSE(HasNoTransactionHeader("-- see \"-- strata:no-transaction\"\nselect 1;"));
  EXPECT_FALSE(HasNoTransactionHeader("-- strata:no-transactions\n"));
  EXPECT_FALSE(HasNoTransactionHeader(""));
}

// Problems are found at discovery and kept with the file; discovery itself succeeds, since
// an applied migration cannot be changed (the run refuses only migrations it would apply).
TEST(NoTransactionHeaderTest, DiscoveryKeepsEachFilesProblems) {
  TempDir dir;
  Write(dir / "1_core_a.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");
  Write(dir / "2_core_b.sql", "--strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n");
  Write(dir / "3_core_c.sql", "-- strata:no-transaction\nBEGIN;\nCOMMIT;\n");
  auto tracks = DiscoverTracks(dir.path());
  ASSERT_TRUE(tracks.ok()) << tracks.status().ToString();
  const auto& m = (*tracks)[0].migrations;
  ASSERT_EQ(m.size(), 3u);
  ASSERT_EQ(m[0].problems.size(), 2u);
  EXPECT_EQ(m[0].problems[0].line, 1);
  EXPECT_EQ(m[0].problems[1].line, 3);
  // The near miss, and the CREATE INDEX CONCURRENTLY it leaves in a transaction.
  ASSERT_EQ(m[1].problems.size(), 2u);
  EXPECT_FALSE(m[1].no_transaction);
  EXPECT_EQ(m[1].problems[0].line, 1);
  EXPECT_EQ(m[1].problems[1].line, 2);
  EXPECT_TRUE(m[2].no_transaction);
  EXPECT_TRUE(m[2].problems.empty());
}

TEST(MigrateAddTest, TimestampIsUtcAndTheNextFreeOneOnAClash) {
  // 2024-12-31T23:59:59Z
  EXPECT_EQ(TimestampOf(1735689599LL * 1000000), "20241231235959");
  MigrationTrack t;
  for (const char* stem : {"20241231235959_core_a", "20241231235960_other_b"}) {
    MigrationFile f;
    f.name = *ParseMigrationStem(stem);
    t.migrations.push_back(f);
  }
  EXPECT_EQ(NextFreeTimestamp("20241231235959", {t}), "20241231235961");
  EXPECT_EQ(NextFreeTimestamp("20250101000000", {t}), "20250101000000");
  MigrationFile nine;
  nine.name = *ParseMigrationStem("99_core_x");
  EXPECT_EQ(NextFreeTimestamp("99", {MigrationTrack{"core", {nine}}}), "100");
}

TEST(MigrateAddTest, DescriptionsBecomeFileNameParts) {
  EXPECT_EQ(*DescriptionForFileName("  add users  table "), "add_users_table");
  EXPECT_EQ(*DescriptionForFileName("v1.2-fix_up"), "v1.2-fix_up");
  EXPECT_EQ(DescriptionForFileName("a/b").status().message(),
            "description \"a/b\" cannot hold '/' or control characters");
  EXPECT_EQ(DescriptionForFileName("   ").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DescriptionForFileName(".hidden").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckTrackName("a_b").message(), "bad track name \"a_b\": a track name cannot hold '_'");
  EXPECT_TRUE(CheckTrackName("billing").ok());
}

TEST(MigrateAddTest, TemplatesUseTheVariablesAndParseBack) {
  const MigrationName n = *ParseMigrationStem("20240101000000_core_add_users");
  const std::string body = MigrationTemplate(n, "2024-01-01T00:00:00Z");
  EXPECT_NE(body.find("\\echo applying :migration_name (run :execution_id)"), std::string::npos);
  EXPECT_NE(body.find(":track_name"), std::string::npos);
  EXPECT_NE(body.find(":migration_timestamp"), std::string::npos);
  // The header mentions the marker without turning it on, or nearly spelling it.
  EXPECT_FALSE(HasNoTransactionHeader(body));
  EXPECT_TRUE(CheckMigrationSql(body, false).empty());
  EXPECT_EQ(ShellValidationTemplate(n).rfind("#!/bin/sh\n", 0), 0u);
  EXPECT_NE(ShellValidationTemplate(n).find("MIGRATION_NAME"), std::string::npos);
}

}  // namespace
}  // namespace strata::postgres
