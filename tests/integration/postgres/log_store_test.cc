// The PostgreSQL log store on the real server: the conformance list every store passes, what
// the database itself refuses (changes to entries, a broken chain, a wrong hash), several logs
// in one table, a reply lost after the INSERT committed, and `strata verify` and the other
// commands on a project whose strata.yaml names the store.
#include "adapters/postgres/log_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/record/recorder.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/store/log_store_conformance.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

using strata::testing::EntryBytes;
using strata::testing::LogStoreConformance;
using strata::testing::TestDatabase;

PostgresLogStoreOptions Options(const TestDatabase& db, const std::string& log = "conformance") {
  PostgresLogStoreOptions o;
  o.conninfo = db.conninfo();
  o.log_id = log;
  return o;
}

std::unique_ptr<PostgresLogStore> OpenStore(const PostgresLogStoreOptions& o) {
  auto s = PostgresLogStore::Open(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

class PostgresFixture : public strata::testing::LogStoreFixture {
 public:
  std::unique_ptr<LogStore> Open() override { return OpenStore(Options(db_)); }

 private:
  TestDatabase db_;
};

INSTANTIATE_TEST_SUITE_P(PostgreSQL, LogStoreConformance,
                         ::testing::Values(strata::testing::LogStoreCase{
                             "PostgreSQL", [] { return std::make_unique<PostgresFixture>(); }}),
                         strata::testing::LogStoreCaseName);

class PostgresLogStoreTest : public ::testing::Test {
 protected:
  // Appends n chained entries; returns the last one's hash.
  Hash AppendChain(LogStore& store, int n) {
    Head at = *store.ReadHead();
    for (int i = 0; i < n; ++i) {
      const std::string bytes = EntryBytes(at.seq + 1, at.hash, "t" + std::to_string(i));
      auto r = store.Append(at.seq + 1, bytes);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      at = Head{at.seq + 1, Sha256(bytes), std::nullopt};
    }
    return at.hash;
  }
  TestDatabase db_;
};

TEST_F(PostgresLogStoreTest, TheDatabaseRefusesToChangeRemoveOrTruncateEntries) {
  auto store = OpenStore(Options(db_));
  AppendChain(*store, 2);
  auto conn = db_.Connect();
  for (const std::string sql :
       {"UPDATE strata_log SET payload = payload WHERE seq = 1",
        "DELETE FROM strata_log WHERE seq = 2", "TRUNCATE strata_log"}) {
    auto r = conn->Exec(sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(conn->last_sqlstate(), "42501") << sql;
    EXPECT_NE(r.status().message().find("strata log entries are never changed or removed"),
              std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(store->Read(1, 10)->size(), 2u);
}

TEST_F(PostgresLogStoreTest, TheDatabaseRefusesABrokenChainAndAWrongHashFromAnyClient) {
  auto store = OpenStore(Options(db_));
  const Hash head = AppendChain(*store, 1);
  auto conn = db_.Connect();
  const std::string bytes = EntryBytes(2, Hash{}, "broken");  // prev_hash is not entry 1's
  auto hex = [](std::string_view b) {
    std::string out = "\\x";
    for (unsigned char ch : b) out += fmt::format("{:02x}", ch);
    return out;
  };
  auto broken = conn->Exec(
      "INSERT INTO strata_log (log_id, seq, payload, sha256, prev_sha256) "
      "VALUES ('conformance', 2, $1::bytea, sha256($1::bytea), $2::bytea)",
      {hex(bytes), hex(std::string(32, '\0'))});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(conn->last_sqlstate(), "23514");
  EXPECT_NE(broken.status().message().find("entry 2 does not follow entry 1"), std::string::npos)
      << broken.status().message();
  // A gap: entry 3 with nothing at 2.
  auto gap = conn->Exec(
      "INSERT INTO strata_log (log_id, seq, payload, sha256, prev_sha256) "
      "VALUES ('conformance', 3, $1::bytea, sha256($1::bytea), $2::bytea)",
      {hex(bytes), hex(HashBytes(head))});
  EXPECT_FALSE(gap.ok());
  EXPECT_EQ(conn->last_sqlstate(), "23514");
  // A hash that is not the hash of the payload.
  const std::string good = EntryBytes(2, head, "good");
  auto lie = conn->Exec(
      "INSERT INTO strata_log (log_id, seq, payload, sha256, prev_sha256) "
      "VALUES ('conformance', 2, $1::bytea, sha256('other'::bytea), $2::bytea)",
      {hex(good), hex(HashBytes(head))});
  EXPECT_FALSE(lie.ok());
  EXPECT_EQ(conn->last_sqlstate(), "23514");
  EXPECT_EQ(store->ReadHead()->seq, 1u);
}

TEST_F(PostgresLogStoreTest, LogsSharingOneTableAreIndependent) {
  auto a = OpenStore(Options(db_, "team-a"));
  auto b = OpenStore(Options(db_, "team/b"));
  AppendChain(*a, 3);
  AppendChain(*b, 1);
  EXPECT_EQ(a->ReadHead()->seq, 3u);
  EXPECT_EQ(b->ReadHead()->seq, 1u);
  EXPECT_EQ(b->Read(1, 10)->size(), 1u);
  EXPECT_NE(a->Describe().find("PostgreSQL log \"team-a\" (table strata_log on 127.0.0.1:"),
            std::string::npos)
      << a->Describe();
}

TEST_F(PostgresLogStoreTest, ATableInAnotherSchemaIsCreatedThere) {
  ASSERT_TRUE(db_.Connect()->ExecScript("CREATE SCHEMA ops").ok());
  PostgresLogStoreOptions o = Options(db_);
  o.table = "ops.history";
  auto store = OpenStore(o);
  AppendChain(*store, 2);
  auto r = db_.Connect()->Exec("SELECT count(*) FROM ops.history");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows[0][0], std::optional<std::string>("2"));
}

// The connection is lost after the server committed the row: the writer finds its own entry
// and reports success, once.
TEST_F(PostgresLogStoreTest, AReplyLostAfterTheInsertCommittedIsRecordedOnce) {
  PostgresLogStoreOptions o = Options(db_);
  int lost = 0;
  o.after_insert = [&lost](uint64_t seq) -> Status {
    if (lost++ > 0) return Status::Ok();
    return Status::Unavailable(
        fmt::format("connection lost after the INSERT of {} (test fault)", seq));
  };
  auto recorder = record::Recorder::Open(strata::testing::FixedRecorderOptions(std::shared_ptr<LogStore>(OpenStore(o))));
  ASSERT_TRUE(recorder.ok());
  auto made = (*recorder)->Record([](const record::HeadState&) {
    pb::Deployment d;
    d.set_target("prod");
    d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    return Result<std::optional<record::Draft>>(std::optional<record::Draft>(
        record::Draft::Deploy("app", pb::ENGINE_POSTGRES, d, "deployed")));
  });
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ((*made)->commit.seq(), 1u);
  auto rows = db_.Connect()->Exec("SELECT count(*) FROM strata_log");
  EXPECT_EQ(rows->rows[0][0], std::optional<std::string>("1"));
  EXPECT_EQ(lost, 1);
}

// strata.yaml naming the store: verify reads it; commands that need the local index say what
// works instead.
class SharedLogCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(work_ / "strata.yaml")
        << "version: 1\nlog: postgres://127.0.0.1:" << strata::testing::TestClusterPort() << "/"
        << db_.name() << "?user=postgres&log=cli\n";
  }
  strata::testing::StrataRun Strata(std::vector<std::string> args) {
    return strata::testing::RunStrata(args, {"PATH=/usr/bin:/bin", "NO_COLOR=1"}, work_.path());
  }
  TestDatabase db_;
  strata::testing::TempDir work_;
};

TEST_F(SharedLogCliTest, VerifyReadsTheSharedLogAndFindsABrokenOne) {
  auto empty = Strata({"verify"});
  ASSERT_EQ(empty.code, 0) << empty;
  EXPECT_NE(empty.out.find("ok: 0 commits"), std::string::npos) << empty;

  PostgresLogStoreOptions o;
  o.conninfo = db_.conninfo();
  o.log_id = "cli";
  auto store = OpenStore(o);
  Head at;
  for (int i = 0; i < 3; ++i) {
    const std::string bytes = EntryBytes(at.seq + 1, at.hash, "t" + std::to_string(i));
    ASSERT_TRUE(store->Append(at.seq + 1, bytes).ok());
    at = Head{at.seq + 1, Sha256(bytes), std::nullopt};
  }
  auto three = Strata({"--json", "verify"});
  ASSERT_EQ(three.code, 0) << three;
  const auto j = three.Json();
  EXPECT_EQ(j["commits"], 3);
  EXPECT_EQ(j["head_seq"], 3);
  EXPECT_EQ(j["head_hash"], HashHex(at.hash));
  EXPECT_EQ(j["ok"], true);

  // An operator removes entry 2 around the triggers: verify names the missing commit.
  auto conn = db_.Connect();
  ASSERT_TRUE(conn->ExecScript("ALTER TABLE strata_log DISABLE TRIGGER USER; "
                               "DELETE FROM strata_log WHERE log_id = 'cli' AND seq = 2; "
                               "ALTER TABLE strata_log ENABLE TRIGGER USER")
                  .ok());
  auto broken = Strata({"verify"});
  EXPECT_EQ(broken.code, 1) << broken;
  EXPECT_NE(broken.out.find("FAILED at seq 2: PostgreSQL log \"cli\""), std::string::npos)
      << broken;
  EXPECT_NE(broken.out.find("commit 2 is missing (the next entry is 3)"), std::string::npos)
      << broken;
}

TEST_F(SharedLogCliTest, HistoryCommandsReadAnEmptySharedLogThroughTheMirror) {
  auto r = Strata({"--json", "log"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.Json()["commits"].size(), 0u);
  // The mirror lives under .strata/remote/; nothing else is made.
  EXPECT_TRUE(std::filesystem::is_directory(work_ / ".strata/remote"));
  EXPECT_FALSE(std::filesystem::exists(work_ / ".strata/HEAD"));
}

TEST_F(SharedLogCliTest, AnUnreachableStoreIsNamedWithTheLine) {
  strata::testing::ClosedPort closed;
  std::ofstream(work_ / "strata.yaml")
      << "version: 1\nlog: postgres://127.0.0.1:" << closed.port() << "/x?user=postgres\n";
  auto r = Strata({"verify"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("strata.yaml:2: opening the shared log: cannot connect to PostgreSQL"),
            std::string::npos)
      << r;
}

}  // namespace
}  // namespace strata::postgres
