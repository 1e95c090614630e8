// Every command on a project whose strata.yaml names a PostgreSQL log (the real server): two
// checkouts of one project (two directories, two local mirrors) writing alternately and at once,
// migrate run, reads answering from the mirror when the store is unreachable, a writer killed
// between the store's append and its mirror's, and `strata log push` / relocation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/ports.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using strata::testing::RunStrata;
using strata::testing::StrataRun;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The (seq, hash) of each commit `log --json` lists: the history, whatever order a protobuf map
// in an event prints its keys in.
std::vector<std::string> History(const StrataRun& log) {
  std::vector<std::string> out;
  const nlohmann::json json = log.Json();  // kept: the loop walks into it
  for (const auto& c : json["commits"]) {
    out.push_back(std::to_string(c["seq"].get<int>()) + " " + c["hash"].get<std::string>());
  }
  return out;
}

// The URL as strata.yaml writes it: the port comes from LOGPORT, so a test can make the store
// unreachable without changing the line (and so the mirror).
std::string LogUrl(const TestDatabase& db) {
  return "postgres://127.0.0.1:${LOGPORT}/" + db.name() + "?user=postgres&log=team";
}

class SharedLogCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const TempDir* d : {&a_, &b_}) MakeCheckout(d->path(), true);
  }
  void MakeCheckout(const std::string& dir, bool shared) {
    fs::copy(fs::path(STRATA_SOURCE_DIR) / "examples/shop/schema", fs::path(dir) / "schema",
             fs::copy_options::recursive);
    std::ofstream(fs::path(dir) / "strata.yaml")
        << "version: 1\n"
        << (shared ? "log: " + LogUrl(log_db_) : std::string("log: .strata"))
        << "\nschemas:\n  dynamodb: schema/dynamodb\n  postgres:\n    engine: postgres\n"
           "    path: migrations\n";
  }
  std::vector<std::string> Env(int log_port = 0) const {
    const int port = strata::testing::TestClusterPort();
    return {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
            "PGPORT=" + std::to_string(port), "PGUSER=postgres", "PGDATABASE=" + app_db_.name(),
            "LOGPORT=" + std::to_string(log_port == 0 ? port : log_port),
            "STRATA_ACTOR_NAME=alice"};
  }
  StrataRun In(const TempDir& dir, std::vector<std::string> args,
               std::vector<std::string> extra = {}) const {
    auto env = Env();
    env.insert(env.end(), extra.begin(), extra.end());
    return RunStrata(args, env, dir.path());
  }
  void AddTable(const TempDir& dir, const std::string& name) {
    std::ofstream(fs::path(dir.path()) / "schema/dynamodb" / (name + ".yaml"))
        << "table: " << name << "\npartition_key: { name: id, type: S }\nbilling: pay_per_request\n";
  }

  TestDatabase log_db_;
  TestDatabase app_db_;
  TempDir a_, b_;
};

TEST_F(SharedLogCommandsTest, TwoCheckoutsWriteAlternatelyAndReadEachOthersCommits) {
  StrataRun gen = In(a_, {"generate", "-m", "shop tables"});
  ASSERT_EQ(gen.code, 0) << gen;
  // The other checkout sees it at once: its mirror pulls before it reads.
  StrataRun log_b = In(b_, {"--json", "log"});
  ASSERT_EQ(log_b.code, 0) << log_b;
  ASSERT_EQ(log_b.Json()["commits"].size(), 1u);
  EXPECT_EQ(log_b.Json()["commits"][0]["message"], "shop tables");
  // b's files are the same: nothing to generate there; b tags, a reads the tag.
  StrataRun nothing = In(b_, {"generate", "-m", "again"});
  ASSERT_EQ(nothing.code, 0) << nothing;
  ASSERT_EQ(In(b_, {"tag", "v1"}).code, 0);
  AddTable(b_, "invoices");
  StrataRun gen_b = In(b_, {"generate", "-m", "invoices"});
  ASSERT_EQ(gen_b.code, 0) << gen_b;
  StrataRun show = In(a_, {"show", "--at", "v1", "orders"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, "\"TableName\": \"orders\"")) << show;
  StrataRun diff = In(a_, {"--json", "diff", "v1", "HEAD"});
  ASSERT_EQ(diff.code, 0) << diff;
  EXPECT_TRUE(Contains(diff.out, "invoices")) << diff;
  StrataRun show_new = In(a_, {"show", "invoices"});
  EXPECT_EQ(show_new.code, 0) << show_new;
  // Both mirrors hold the same history as the store.
  for (const TempDir* d : {&a_, &b_}) {
    StrataRun status = In(*d, {"--json", "log", "status"});
    ASSERT_EQ(status.code, 0) << status;
    EXPECT_EQ(status.Json()["mirror"]["seq"], 3);
    EXPECT_EQ(status.Json()["behind"], 0);
  }
  EXPECT_EQ(History(In(a_, {"--json", "log"})), History(In(b_, {"--json", "log"})));
}

TEST_F(SharedLogCommandsTest, TwoCheckoutsWritingAtOnceLoseNothing) {
  ASSERT_EQ(In(a_, {"generate", "-m", "base"}).code, 0);
  constexpr int kEach = 6;
  std::vector<StrataRun> runs(2 * kEach);
  std::thread ta([&] {
    for (int i = 0; i < kEach; ++i) runs[i] = In(a_, {"tag", fmt::format("a{}", i)});
  });
  std::thread tb([&] {
    for (int i = 0; i < kEach; ++i) runs[kEach + i] = In(b_, {"tag", fmt::format("b{}", i)});
  });
  ta.join();
  tb.join();
  for (const StrataRun& r : runs) EXPECT_EQ(r.code, 0) << r;
  for (const TempDir* d : {&a_, &b_}) {
    StrataRun tags = In(*d, {"--json", "log", "--origin", "tag"});
    ASSERT_EQ(tags.code, 0) << tags;
    EXPECT_EQ(tags.Json()["commits"].size(), 2u * kEach);
    StrataRun verify = In(*d, {"verify"});
    EXPECT_EQ(verify.code, 0) << verify;
  }
  EXPECT_EQ(History(In(a_, {"--json", "log"})), History(In(b_, {"--json", "log"})));
}

TEST_F(SharedLogCommandsTest, MigrateRunRecordsIntoTheSharedLog) {
  fs::create_directories(fs::path(a_.path()) / "migrations/core");
  std::ofstream(fs::path(a_.path()) / "migrations/core/20260101000000_core_users.sql")
      << "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
  StrataRun run = In(a_, {"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  fs::create_directories(fs::path(b_.path()) / "migrations");
  fs::copy(fs::path(a_.path()) / "migrations/core", fs::path(b_.path()) / "migrations/core");
  StrataRun show = In(b_, {"show", "public.users"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, "email")) << show;
  StrataRun blame = In(b_, {"blame", "public.users.email"});
  EXPECT_EQ(blame.code, 0) << blame;
  EXPECT_TRUE(Contains(blame.out, "alice")) << blame;
}

TEST_F(SharedLogCommandsTest, ReadsAnswerFromTheMirrorWhenTheStoreIsUnreachableAndWritesRefuse) {
  ASSERT_EQ(In(a_, {"generate", "-m", "base"}).code, 0);
  ASSERT_EQ(In(b_, {"tag", "v1"}).code, 0);  // a's mirror is one commit behind now
  strata::testing::ClosedPort closed;
  auto offline = Env(closed.port());
  StrataRun log = RunStrata({"--json", "log"}, offline, a_.path());
  ASSERT_EQ(log.code, 0) << log;
  // a's mirror holds what a saw last (its own commit), not b's tag: said, not hidden.
  EXPECT_EQ(log.Json()["commits"].size(), 1u);
  EXPECT_TRUE(Contains(log.err, "note: the shared log cannot be reached (")) << log;
  EXPECT_TRUE(Contains(log.err, "answering from the local mirror as of its last pull at ")) << log;
  EXPECT_TRUE(Contains(log.err, "(seq 1). Run `strata log pull` once it answers")) << log;
  StrataRun tag = RunStrata({"tag", "v2"}, offline, a_.path());
  EXPECT_EQ(tag.code, 1) << tag;
  EXPECT_TRUE(Contains(tag.err, "nothing was recorded: writing needs the shared log")) << tag;
  // A checkout that never pulled has nothing to answer from.
  TempDir fresh;
  MakeCheckout(fresh.path(), true);
  StrataRun cold = RunStrata({"log"}, offline, fresh.path());
  EXPECT_EQ(cold.code, 1) << cold;
  EXPECT_TRUE(Contains(cold.err, "there is no local mirror of the shared log to answer from yet"))
      << cold;
}

TEST_F(SharedLogCommandsTest, AWriterKilledAfterTheStoresAppendLeavesTheCommitThereOnce) {
  ASSERT_EQ(In(a_, {"generate", "-m", "base"}).code, 0);
  StrataRun killed = In(a_, {"tag", "v1"}, {"STRATA_TEST_CRASH_AT=after-remote-append"});
  ASSERT_EQ(killed.code, 137) << killed;
  StrataRun status = In(a_, {"--json", "log", "status"});
  ASSERT_EQ(status.code, 0) << status;
  EXPECT_EQ(status.Json()["mirror"]["seq"], 1);  // the mirror never got it
  EXPECT_EQ(status.Json()["behind"], 1);
  StrataRun tags = In(a_, {"--json", "log", "--origin", "tag"});
  ASSERT_EQ(tags.code, 0) << tags;
  EXPECT_EQ(tags.Json()["commits"].size(), 1u);
  StrataRun verify = In(a_, {"verify"});
  EXPECT_EQ(verify.code, 0) << verify;
  EXPECT_TRUE(Contains(verify.out, "ok: 2 commits")) << verify;
}

TEST_F(SharedLogCommandsTest, PushALocalHistoryAndEveryHistoryCommandAgrees) {
  TempDir local;
  MakeCheckout(local.path(), false);
  ASSERT_EQ(In(local, {"generate", "-m", "shop tables"}).code, 0);
  ASSERT_EQ(In(local, {"tag", "v1"}).code, 0);
  AddTable(local, "invoices");
  ASSERT_EQ(In(local, {"generate", "-m", "invoices"}).code, 0);
  const std::vector<std::vector<std::string>> questions = {
      {"--json", "log"},          {"--json", "show", "--at", "v1"}, {"--json", "diff", "1", "3"},
      {"--json", "blame", "orders"}, {"--json", "tag"},              {"--json", "status"}};
  std::vector<std::string> before;
  for (const auto& q : questions) before.push_back(In(local, q).out);
  const std::string url = LogUrl(log_db_);
  StrataRun push = In(local, {"log", "push", url});
  ASSERT_EQ(push.code, 0) << push;
  EXPECT_TRUE(Contains(push.out, "Copied 3 of 3 commits to PostgreSQL log \"team\"")) << push;
  std::ifstream yaml(fs::path(local.path()) / "strata.yaml");
  std::string text((std::istreambuf_iterator<char>(yaml)), {});
  EXPECT_TRUE(Contains(text, "\nlog: " + url + "\nschemas:\n")) << text;
  // The same answers (JSON compared as values, so a map's key order does not matter).
  for (size_t i = 0; i + 1 < questions.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(In(local, questions[i]).out), nlohmann::json::parse(before[i]))
        << questions[i][1];
  }
  // Pushing again is a no-op; another checkout reads the same history.
  StrataRun again = In(local, {"log", "push", url});
  EXPECT_EQ(again.code, 1) << again;  // the project's log already
  StrataRun before_log;
  before_log.out = before[0];
  EXPECT_EQ(History(In(a_, {"--json", "log"})), History(before_log));
  // Another history (its own first commit) is refused, naming both.
  TempDir other;
  MakeCheckout(other.path(), false);
  AddTable(other, "other");
  ASSERT_EQ(In(other, {"generate", "-m", "another history"}).code, 0);
  StrataRun refused = In(other, {"log", "push", url});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, "holds another log: its first commit is ")) << refused;
  EXPECT_TRUE(Contains(refused.err, ", this log's is ")) << refused;
  EXPECT_TRUE(Contains(refused.err, "nothing was copied")) << refused;
}

TEST_F(SharedLogCommandsTest, MovingASharedLogRecordsARelocationThatStopsStaleWriters) {
  ASSERT_EQ(In(a_, {"generate", "-m", "base"}).code, 0);
  ASSERT_EQ(In(b_, {"tag", "v1"}).code, 0);
  StrataRun moved = In(a_, {"log", "push", "local-log"});
  ASSERT_EQ(moved.code, 0) << moved;
  EXPECT_TRUE(Contains(moved.out, "The old log records the move (commit 3)")) << moved;
  StrataRun log_a = In(a_, {"--json", "log"});
  ASSERT_EQ(log_a.code, 0) << log_a;
  EXPECT_EQ(log_a.Json()["commits"].size(), 2u);
  ASSERT_EQ(In(a_, {"tag", "v2"}).code, 0);  // the moved log goes on
  // b still points at the old store: its write is refused, naming where the log went.
  StrataRun stale = In(b_, {"tag", "v3"});
  EXPECT_EQ(stale.code, 1) << stale;
  EXPECT_TRUE(Contains(stale.err, "this log moved to local-log")) << stale;
  EXPECT_TRUE(Contains(stale.err, "set `log: local-log`")) << stale;
  StrataRun old = In(b_, {"--json", "log"});
  ASSERT_EQ(old.code, 0) << old;
  EXPECT_EQ(old.Json()["commits"][0]["origin"], "relocated");
  EXPECT_TRUE(Contains(old.err, "note: this log moved to local-log (commit 3)")) << old;
}

std::string ReadText(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

TEST_F(SharedLogCommandsTest, InitWritesTheLogLineAndTheGitignoreThatFitIt) {
  TempDir local;
  StrataRun plain = In(local, {"init"});
  ASSERT_EQ(plain.code, 0) << plain;
  EXPECT_TRUE(Contains(ReadText(fs::path(local.path()) / "strata.yaml"), "\nlog: .strata\n"));
  const std::string ignore = ReadText(fs::path(local.path()) / ".gitignore");
  EXPECT_TRUE(Contains(ignore, "\n.strata/index.sqlite\n")) << ignore;
  EXPECT_FALSE(Contains(ignore, "\n.strata/\n")) << ignore;  // the segments may be committed
  StrataRun again = In(local, {"init"});
  EXPECT_EQ(again.code, 1) << again;
  EXPECT_TRUE(Contains(again.err, "already exists; edit it instead (or run init --force")) << again;

  // A shared log: the line names the store, the mirror is ignored, and an existing log is joined.
  ASSERT_EQ(In(a_, {"generate", "-m", "base"}).code, 0);
  TempDir joined;
  StrataRun init = In(joined, {"init", "--log", LogUrl(log_db_)});
  ASSERT_EQ(init.code, 0) << init;
  EXPECT_TRUE(Contains(ReadText(fs::path(joined.path()) / "strata.yaml"),
                       "\nlog: " + LogUrl(log_db_) + "\n"));
  EXPECT_TRUE(Contains(ReadText(fs::path(joined.path()) / ".gitignore"), "\n.strata/\n"));
  StrataRun log = In(joined, {"--json", "log"});
  ASSERT_EQ(log.code, 0) << log;
  EXPECT_EQ(log.Json()["commits"].size(), 1u);
}

}  // namespace
}  // namespace strata
