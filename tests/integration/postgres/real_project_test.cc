// A real project's migration tree, run as a user would run it: supabase/storage's ordered
// migrations (corpus/supabase-storage; its README names the source, the licence and every
// change) go through `strata migrate run` into database A, `verify` and `drift` must agree,
// `strata replay` rebuilds the logged migrations into database B, and the recorded state at
// HEAD, rendered as DDL, builds database C. `pg_dump --schema-only` of A, B and C must then
// hold the same statements in the same order: B shows that the log's SQL rebuilds the schema;
// C that the recorded state holds everything pg_dump sees, not only what strata's own
// introspection reads.
//
// The project's runner connects with search_path storage,public,extensions and passes its
// configuration as settings (storage.install_roles, storage.super_user, storage.anon_role,
// storage.authenticated_role, storage.service_role); strata's runs here get the same through
// PGOPTIONS. With install_roles the first migrations create the three roles (cluster-wide, so
// they carry this test's unique suffix) and a role "authenticator"; the test drops them after
// its databases. super_user is the runner's default, postgres, the user strata runs as: the
// model records no owners (docs/postgres-history.md), so a schema whose tables belong to
// another role cannot be rebuilt from the recorded state with the same privileges.
#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/common/process_runner.h"
#include "adapters/postgres/introspect.h"
#include "adapters/postgres/render.h"
#include "engine/log/env.h"
#include "engine/state/apply.h"
#include "engine/store/commit_store.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;
using strata::testing::RunStrata;
using strata::testing::StrataRun;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

constexpr size_t kMigrations = 63;  // the .sql files in corpus/supabase-storage
constexpr char kTrack[] = "storage";

// The role names the migrations use, unique to this test; dropped on destruction with the
// "authenticator" role the first migrations create.
class ProjectRoles {
 public:
  ProjectRoles() {
    static std::atomic<int> counter{0};
    const std::string n = std::to_string(getpid()) + "_" + std::to_string(counter++);
    anon = "anon_" + n;
    authenticated = "authenticated_" + n;
    service = "service_role_" + n;
  }
  ~ProjectRoles() {
    auto admin = Connection::Open(strata::testing::TestClusterConninfo("postgres"));
    if (!admin.ok()) return;
    (void)(*admin)->ExecScript(fmt::format("DROP ROLE IF EXISTS authenticator, {}, {}, {}", anon,
                                           authenticated, service));
  }
  ProjectRoles(const ProjectRoles&) = delete;
  ProjectRoles& operator=(const ProjectRoles&) = delete;

  // What the project's runner sets on its connection, as libpq's PGOPTIONS.
  std::string PgOptions() const {
    return fmt::format(
        "-c search_path=storage,public,extensions -c storage.install_roles=true "
        "-c storage.super_user=postgres -c storage.anon_role={} "
        "-c storage.authenticated_role={} -c storage.service_role={}",
        anon, authenticated, service);
  }

  std::string anon, authenticated, service;
};

// `name` in the directories of $PATH; empty when it is in none.
std::string OnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path p = fs::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

// `SET name = value;` or `SELECT pg_catalog.set_config(...);`: a setting a restore runs under.
// `SET SESSION AUTHORIZATION` (who grants what) is not one.
bool IsSessionSetting(const std::string& s) {
  static const std::regex kSet(R"(^SET [a-z_]+ = [^;]*;$)");
  return std::regex_match(s, kSet) || s.rfind("SELECT pg_catalog.set_config(", 0) == 0;
}

// pg_dump's output split into statements: each ends at a ';' outside quoted strings (E'' ones
// with their backslash escapes), quoted identifiers, dollar-quoted bodies and comments. Left
// out, because they differ between two dumps of equal schemas or say nothing about the schema:
// - `--` comments outside quotes: pg_dump's headers ("Dumped from database version", one
//   "Name: ...; Type: ..." line per object), which restate the statement that follows;
// - psql meta-commands (`\restrict KEY` / `\unrestrict KEY`): a random key per dump;
// - `SET name = value;` and `SELECT pg_catalog.set_config(...);`: the session settings a
//   restore runs under, not objects.
// A comment inside a function body is part of the body and stays.
class DumpSplitter {
 public:
  explicit DumpSplitter(const std::string& dump) : dump_(dump) {}

  std::vector<std::string> Statements() {
    for (i_ = 0; i_ < dump_.size(); ++i_) Step();
    Finish();
    return std::move(out_);
  }

 private:
  void Step() {
    const char c = dump_[i_];
    if (!dollar_tag_.empty()) {
      if (dump_.compare(i_, dollar_tag_.size(), dollar_tag_) == 0) {
        Take(dollar_tag_);
        dollar_tag_.clear();
      } else {
        current_ += c;
      }
    } else if (quote_ != 0) {
      current_ += c;
      if (escapes_ && c == '\\' && i_ + 1 < dump_.size()) {
        current_ += dump_[++i_];
      } else if (c == quote_) {
        quote_ = 0;  // a doubled quote closes and reopens: the same text
      }
    } else if (dump_.compare(i_, 2, "--") == 0 || (c == '\\' && AtStatementStart())) {
      const size_t eol = dump_.find('\n', i_);
      i_ = eol == std::string::npos ? dump_.size() : eol;
      current_ += '\n';
    } else if (const std::string tag = DollarTagHere(); !tag.empty()) {
      Take(tag);
      dollar_tag_ = tag;
    } else {
      OutsideQuotes(c);
    }
  }
  void OutsideQuotes(char c) {
    if (c == '\'' || c == '"') {
      quote_ = c;
      const size_t n = current_.size();
      escapes_ = c == '\'' && n > 0 && (current_[n - 1] == 'E' || current_[n - 1] == 'e') &&
                 (n == 1 || !IdentifierChar(current_[n - 2]));
    }
    current_ += c;
    if (c == ';') Finish();
  }
  // "$$" or "$tag$" (tag an identifier) at the position, not after an identifier's letters
  // (where '$' is part of the name) and not a parameter like $1; else empty.
  std::string DollarTagHere() const {
    if (dump_[i_] != '$' || (!current_.empty() && IdentifierChar(current_.back()))) return "";
    const size_t end = dump_.find('$', i_ + 1);
    if (end == std::string::npos) return "";
    for (size_t k = i_ + 1; k < end; ++k) {
      const unsigned char c = dump_[k];
      if (!(std::isalpha(c) || c == '_' || (k > i_ + 1 && std::isdigit(c)))) return "";
    }
    return dump_.substr(i_, end - i_ + 1);
  }
  static bool IdentifierChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  }
  bool AtStatementStart() const {
    return current_.find_first_not_of(" \t\n") == std::string::npos;
  }
  // Appends `text`, which starts at the position, and moves to its last character.
  void Take(const std::string& text) {
    current_ += text;
    i_ += text.size() - 1;
  }
  void Finish() {
    const size_t b = current_.find_first_not_of(" \t\n");
    std::string s = b == std::string::npos ? "" : current_.substr(b);
    current_.clear();
    if (!s.empty() && !IsSessionSetting(s)) out_.push_back(std::move(s));
  }

  const std::string& dump_;
  size_t i_ = 0;
  std::string current_, dollar_tag_;
  char quote_ = 0;        // '\'' or '"' while inside one
  bool escapes_ = false;  // the quote is an E'' string
  std::vector<std::string> out_;
};

// What a GRANT (or ALTER DEFAULT PRIVILEGES ... GRANT) statement grants on, without the
// privileges and the grantee; empty for other statements.
std::string GrantTarget(const std::string& s) {
  static const std::regex kGrant(
      R"(^((?:ALTER DEFAULT PRIVILEGES .* )?GRANT ).* (ON .*) TO [^ ;]+( WITH GRANT OPTION)?;$)");
  std::smatch m;
  return std::regex_match(s, m, kGrant) ? m[1].str() + m[2].str() : "";
}

// pg_dump prints an object's grants in the order of its ACL array, which is the order they
// were made in; PostgreSQL treats the ACL as a set, and strata keeps it sorted, so a schema
// built from the recorded state lists the same grants in another order. Each run of
// consecutive grants on one object is sorted here; everything else keeps its place.
void SortGrantRuns(std::vector<std::string>* statements) {
  auto& v = *statements;
  for (size_t i = 0; i < v.size();) {
    const std::string target = GrantTarget(v[i]);
    size_t j = i + 1;
    while (!target.empty() && j < v.size() && GrantTarget(v[j]) == target) ++j;
    std::sort(v.begin() + i, v.begin() + j);
    i = j;
  }
}

// Empty when `a` (named `a_name`) and `b` hold the same statements in the same order; else the
// first place they differ, with both statements.
std::string FirstDifference(const std::vector<std::string>& a, const std::string& a_name,
                            const std::vector<std::string>& b, const std::string& b_name) {
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string& x = i < a.size() ? a[i] : "(none: the dump ends here)";
    const std::string& y = i < b.size() ? b[i] : "(none: the dump ends here)";
    if (x != y) {
      return fmt::format("statement {} of {} and {} differs:\n--- {}\n{}\n--- {}\n{}", i + 1,
                         a.size(), b.size(), a_name, x, b_name, y);
    }
  }
  return "";
}

// The comparison's own rules, on a dump written to trip them.
TEST(DumpSplitterTest, SplitsAtTopLevelSemicolonsAndDropsOnlyWhatDiffersBetweenDumps) {
  const std::string dump = R"(--
-- PostgreSQL database dump
--

\restrict aB3
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE FUNCTION s.f(a text) RETURNS text
    LANGUAGE plpgsql
    AS $_$
BEGIN
    -- a; comment in the body
    RETURN a || ';' || $1;
END
$_$;
ALTER TABLE s.t ADD CONSTRAINT c CHECK ((x <> E'\';--'::text));
CREATE TABLE s."a;b" (x$ text DEFAULT 'it''s; --');
SET SESSION AUTHORIZATION alice;
GRANT SELECT ON TABLE s.t TO bob;
RESET SESSION AUTHORIZATION;
\unrestrict aB3
)";
  EXPECT_EQ(DumpSplitter(dump).Statements(),
            (std::vector<std::string>{
                "CREATE FUNCTION s.f(a text) RETURNS text\n    LANGUAGE plpgsql\n    AS $_$\n"
                "BEGIN\n    -- a; comment in the body\n    RETURN a || ';' || $1;\nEND\n$_$;",
                R"(ALTER TABLE s.t ADD CONSTRAINT c CHECK ((x <> E'\';--'::text));)",
                R"(CREATE TABLE s."a;b" (x$ text DEFAULT 'it''s; --');)",
                "SET SESSION AUTHORIZATION alice;", "GRANT SELECT ON TABLE s.t TO bob;",
                "RESET SESSION AUTHORIZATION;"}));
}

TEST(SortGrantRunsTest, SortsConsecutiveGrantsOnOneObjectOnly) {
  std::vector<std::string> v = {
      "GRANT ALL ON TABLE s.t TO c;",
      "GRANT SELECT ON TABLE s.t TO b WITH GRANT OPTION;",
      "GRANT ALL ON TABLE s.t TO a;",
      "GRANT ALL ON TABLE s.u TO a;",  // another object: a run of its own
      "REVOKE ALL ON TABLE s.v FROM postgres;",
      "GRANT ALL ON TABLE s.v TO z;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON TABLES  TO y;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON TABLES  TO x;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON SEQUENCES  TO w;"};
  SortGrantRuns(&v);
  EXPECT_EQ(v, (std::vector<std::string>{
                   "GRANT ALL ON TABLE s.t TO a;",
                   "GRANT ALL ON TABLE s.t TO c;",
                   "GRANT SELECT ON TABLE s.t TO b WITH GRANT OPTION;",
                   "GRANT ALL ON TABLE s.u TO a;",
                   "REVOKE ALL ON TABLE s.v FROM postgres;",
                   "GRANT ALL ON TABLE s.v TO z;",
                   "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON TABLES  TO x;",
                   "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON TABLES  TO y;",
                   "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ALL ON SEQUENCES  TO w;"}));
}

class RealProjectTest : public ::testing::Test {
 protected:
  StrataRun Strata(const std::vector<std::string>& args, const TestDatabase& db) const {
    return RunStrata(args,
                     {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
                      "PGPORT=" + std::to_string(strata::testing::TestClusterPort()),
                      "PGUSER=postgres", "PGDATABASE=" + db.name(),
                      "PGOPTIONS=" + roles_.PgOptions(), "STRATA_ACTOR_NAME=alice",
                      "STRATA_ACTOR_EMAIL=alice@example.com"},
                     work_.path());
  }

  // The corpus's migrations copied into the project's migrations directory; their count.
  size_t CopyCorpus() const {
    const fs::path to = fs::path(work_.path()) / "migrations";
    fs::create_directories(to);
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(STRATA_TEST_CORPUS_DIR "/supabase-storage")) {
      if (e.path().extension() != ".sql") continue;
      fs::copy_file(e.path(), to / e.path().filename());
      ++n;
    }
    return n;
  }

  // pg_dump --schema-only --no-owner of `db` as statements (DumpSplitter), without the
  // migration history table strata keeps in the database and its id sequence: bookkeeping
  // that the recorded state (database C) rightly does not hold.
  std::vector<std::string> Dump(const TestDatabase& db) const {
    const std::string pg_dump = OnPath("pg_dump");
    EXPECT_FALSE(pg_dump.empty()) << "pg_dump is not on PATH";
    common::ProcessRequest req;
    req.argv = {pg_dump,
                "--schema-only",
                "--no-owner",
                fmt::format("--exclude-table=public.migrations_{}", kTrack),
                fmt::format("--exclude-table=public.migrations_{}_id_seq", kTrack),
                "--dbname=" + db.conninfo()};
    auto r = common::NewPosixProcessRunner()->Run(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_EQ(r->exit_code, 0) << r->errors;
    std::vector<std::string> statements = DumpSplitter(r->output).Statements();
    SortGrantRuns(&statements);
    return statements;
  }

  // The postgres schema the log in the project records at HEAD.
  pb::PostgresSchema Recorded() const {
    std::unique_ptr<Env> env = NewPosixEnv();
    auto reader = CommitReader::Open(env.get(), work_ / ".strata");
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return {};
    pb::State state;
    Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
      return ApplyCommit(c.commit, &state, OnFailure::kDiscard);
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto it = state.schemas().find("postgres");
    EXPECT_NE(it, state.schemas().end());
    return it == state.schemas().end() ? pb::PostgresSchema() : it->second.postgres();
  }

  ProjectRoles roles_;  // declared first: dropped after the databases that refer to them
  TempDir work_;
  TestDatabase applied_, replayed_, rendered_;
};

TEST_F(RealProjectTest, SupabaseStorageAppliesReplaysAndDumpsTheSame) {
  ASSERT_EQ(CopyCorpus(), kMigrations);

  // A: every migration applied and recorded; the log and the database agree.
  StrataRun run = Strata({"migrate", "run", "migrations", "--json"}, applied_);
  ASSERT_EQ(run.code, 0) << run;
  ASSERT_EQ(run.Json()["recorded"].size(), kMigrations) << run;
  StrataRun verify = Strata({"verify"}, applied_);
  EXPECT_EQ(verify.code, 0) << verify;
  StrataRun drift = Strata({"drift"}, applied_);
  EXPECT_EQ(drift.code, 0) << drift;

  // The log's state is exactly a fresh introspection of A.
  const pb::PostgresSchema recorded = Recorded();
  {
    auto conn = applied_.Connect();
    ASSERT_TRUE(conn);
    auto live = Introspect(*conn, IntrospectOptions{});
    ASSERT_TRUE(live.ok()) << live.status().ToString();
    std::string report;
    MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    EXPECT_TRUE(d.Compare(*live, recorded)) << report;
  }

  // B: the log's migrations replayed into an empty database.
  StrataRun replay = Strata({"replay", "--json"}, replayed_);
  ASSERT_EQ(replay.code, 0) << replay;
  EXPECT_EQ(replay.Json()["matches"], true) << replay;
  EXPECT_EQ(replay.Json()["replayed"].size(), kMigrations) << replay;

  // C: the recorded state rendered as DDL.
  {
    auto conn = rendered_.Connect();
    ASSERT_TRUE(conn);
    const std::string ddl = RenderSchemaDdl(recorded);
    Status s = conn->ExecScript(ddl);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\nDDL:\n" << ddl;
  }

  const std::vector<std::string> a = Dump(applied_), b = Dump(replayed_), c = Dump(rendered_);
  // The dump is the schema the migrations build, not a near-empty one.
  auto count = [&a](const std::string& prefix) {
    return std::count_if(a.begin(), a.end(),
                         [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
  };
  EXPECT_GE(count("CREATE TABLE storage."), 10) << a.size();
  EXPECT_GE(count("CREATE FUNCTION storage."), 15);
  EXPECT_GE(count("CREATE TRIGGER "), 4);
  EXPECT_GE(count("CREATE TYPE storage."), 1);
  EXPECT_GE(count("CREATE UNIQUE INDEX "), 5);
  EXPECT_GE(count("GRANT "), 50);
  EXPECT_GE(count("ALTER DEFAULT PRIVILEGES "), 3);

  const std::string replay_difference = FirstDifference(a, "A (migrate run)", b, "B (replay)");
  EXPECT_TRUE(replay_difference.empty()) << replay_difference;
  const std::string state_difference =
      FirstDifference(a, "A (migrate run)", c, "C (recorded state rendered)");
  EXPECT_TRUE(state_difference.empty()) << state_difference;
}

}  // namespace
}  // namespace strata::postgres
