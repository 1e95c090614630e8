// strata's writers racing against real servers, through the real binary. One project holds a
// DynamoDB schema (table files) deployed to moto and a PostgreSQL schema (migrations on tracks
// `core` and `billing`) run on two databases. Each round prepares new inputs (a new table file,
// a tag on the previous round's table, one or two new migrations per track), then releases nine
// processes at the same moment: two generates of those files, two tags of one name, `migrate
// run` of each track on the first database (core twice) and of both tracks on the second, and
// `apply` to DynamoDB; and, as soon as the first generate has exited, two more generates that
// each add a table file of their own.
//
// Whichever process wins each race, afterwards: the log verifies; every change is recorded
// exactly once, and each migration's commit holds what that migration did; every commit a
// process claims is in the log as it claimed, and every commit is claimed by exactly one
// process; losers say what happened; nothing crashed; commit times never go back; and both
// backends match the log. No assertion depends on timing. The same race runs twice: on the
// project's log directory, and on a shared log in PostgreSQL (`log: postgres://...`, every
// process writing through the store and reading through the project's local mirror).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "adapters/postgres/log_store.h"
#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "engine/store/hash.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/moto.h"
#include "tests/support/run_together.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRounds = 20;  // 11 processes each: 220 racing operations

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// What one racing process is, so that its output can be read back.
enum class Kind { kGenerate, kTag, kMigrate, kApply };

struct Racer {
  Kind kind;
  bool json_output = false;
  std::vector<std::string> args;  // after the global flags
  std::string detail;             // the tag name, or the migrate target
  // A table file ("b" or "c") it adds once the round's first generate has exited; then it
  // records the change.
  std::string adds;
};

// A process of some round, and what it printed.
struct Ran {
  int round = 0;
  Racer racer;
  StrataRun run;
  std::string Name() const {
    return fmt::format("round {}: strata {}{}", round, racer.json_output ? "--json " : "",
                       fmt::join(racer.args, " "));
  }
};

// A commit some process says it recorded, with what it says the commit holds.
struct Claim {
  Claim(uint64_t commit, std::string process, Kind k)
      : seq(commit), by(std::move(process)), kind(k) {}
  uint64_t seq = 0;
  std::string by;  // the process, for messages
  Kind kind;
  std::string hash;                     // generate: the hash (or its first 12 digits)
  std::optional<json> events;           // generate --json: the events, as the log shows them
  std::set<std::string> created;        // generate (text): the tables it listed as created
  std::string tag;                      // tag: the name and the seq it names
  uint64_t tag_seq = 0;
  std::string migration, migrate_kind;  // migrate: the stem and "migration" or "deployment"
  std::string database;
  size_t event_count = 0;
  uint64_t target_seq = 0;  // apply: where the target's cursor moved
};

// The project, its servers, and what every process of the run said.
class MixedRaceTest : public ::testing::Test {
 protected:
  MixedRaceTest() : keys_(LoadMotoIdentity()), endpoint_(MotoEndpoint()) {
    prefix_ = fmt::format("race{}_", getpid());
    project_ = tmp_ / "shop";
    scratch_ = tmp_ / "runs";
    staging_ = tmp_ / "staging";
    for (const auto& d : {project_, scratch_, staging_}) fs::create_directories(d);
    WriteText(fs::path(project_) / "strata.yaml",
              fmt::format("version: 1\n"
                          "schemas:\n"
                          "  dynamodb: {{ engine: dynamodb, path: schema/dynamodb, artifacts: "
                          "artifacts/dynamodb }}\n"
                          "  postgres: {{ engine: postgres, path: migrations }}\n"
                          "targets:\n"
                          "  ddb: {{ engine: dynamodb, region: us-east-1, endpoint: \"{}\" }}\n"
                          "  pg: {{ engine: postgres, dsn: \"{}\" }}\n"
                          "  pg2: {{ engine: postgres, dsn: \"{}\" }}\n",
                          endpoint_, db_a_.conninfo(), db_b_.conninfo()));
    fs::create_directories(fs::path(project_) / "schema/dynamodb");
    fs::create_directories(fs::path(project_) / "migrations");
  }

  ~MixedRaceTest() override {
    for (const auto& table : LiveTables()) {
      (void)ddb_.Call("DeleteTable", {{"TableName", table}}, nullptr);
    }
  }

  // A user's environment: the moto user's keys (moto checks every signature), no AWS config
  // files, no terminal colours, the real clock.
  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin",
            "NO_COLOR=1",
            "HOME=" + tmp_.path(),
            "AWS_ACCESS_KEY_ID=" + keys_.access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + keys_.secret_access_key,
            "AWS_EC2_METADATA_DISABLED=true",
            "AWS_CONFIG_FILE=/nonexistent/strata-test/config",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/strata-test/credentials",
            "STRATA_ACTOR_NAME=racer",
            "STRATA_ACTOR_EMAIL=racer@shop.example",
            "STRATA_POLL_INTERVAL_MS=50"};
  }

  StrataRun Strata(const std::vector<std::string>& args) const {
    return RunStrata(args, Environment(), project_);
  }

  // ---- inputs ------------------------------------------------------------------------------

  std::string Table(int round, const std::string& which) const {
    return fmt::format("{}r{}_{}", prefix_, round, which);
  }
  static std::string TableFile(const std::string& table, const std::string& extra = "") {
    return "table: " + table + "\npartition_key: { name: id, type: S }\n" + extra;
  }
  void WriteTable(const std::string& table, const std::string& extra = "") {
    WriteText(fs::path(project_) / "schema/dynamodb" / (table + ".yaml"), TableFile(table, extra));
    tables_.insert(table);
  }
  // Timestamps that grow with the round, so every new migration is the newest of its track.
  void WriteMigration(int round, int step, const std::string& track, const std::string& what,
                      const std::string& sql, const std::string& object) {
    const std::string stem = fmt::format("{}_{}_r{}_{}", 20250101000000 + round * 100 + step,
                                         track, round, what);
    WriteText(fs::path(project_) / "migrations" / track / (stem + ".sql"), sql);
    migrations_[stem] = object;
  }

  // The new inputs of a round: a new table, a tag on the previous round's table, one or two
  // migrations per track (the second on alternate rounds), and the files the two racers that
  // add a file of their own will move into place.
  void PrepareRound(int r) {
    WriteTable(Table(r, "a"));
    const std::string previous = r == 0 ? prefix_ + "seed" : Table(r - 1, "a");
    WriteTable(previous, fmt::format("tags: {{ round: \"{}\" }}\n", r));
    tagged_.insert(previous);
    const std::string core = fmt::format("core_r{}", r), billing = fmt::format("billing_r{}", r);
    WriteMigration(r, 0, "core", "table",
                   "CREATE TABLE " + core + " (id bigint PRIMARY KEY, created_at timestamptz);\n",
                   "public." + core);
    if (r % 2 == 1) {
      WriteMigration(r, 1, "core", "note", "ALTER TABLE " + core + " ADD COLUMN note text;\n",
                     "public." + core);
    }
    WriteMigration(r, 0, "billing", "table",
                   "CREATE TABLE " + billing + " (id bigint PRIMARY KEY, amount numeric(12,2));\n",
                   "public." + billing);
    if (r % 2 == 0) {
      WriteMigration(r, 1, "billing", "total",
                     "ALTER TABLE " + billing + " ADD COLUMN total numeric(12,2);\n",
                     "public." + billing);
    }
    for (const std::string which : {"b", "c"}) {
      WriteText(fs::path(staging_) / (which + ".yaml"), TableFile(Table(r, which)));
      tables_.insert(Table(r, which));
    }
  }

  // Where a racer that adds a table file of its own puts it.
  std::string Added(int r, const std::string& which) const {
    return (fs::path(project_) / "schema/dynamodb" / (Table(r, which) + ".yaml")).string();
  }

  // The eleven processes of a round: two generates of the files written before it, two tags of
  // one name, two runs of track core and one of billing on the first database, both tracks on
  // the second, and a DynamoDB apply, all released at once; and two generates that each add a
  // file of their own, released when the first generate has exited (so their files are
  // recorded in commits of their own, racing each other and whoever is still running).
  std::vector<Racer> Racers(int r) const {
    const std::string tag = fmt::format("t{}_x", r);
    const std::vector<std::string> core = {"migrate", "run", "--track", "core", "--target", "pg"};
    const std::vector<std::string> billing = {"migrate", "run", "--track", "billing", "--target",
                                              "pg"};
    return {
        {Kind::kGenerate, false, {"generate"}, "", ""},  // first: the file adders wait for it
        {Kind::kGenerate, true, {"generate"}, "", ""},
        {Kind::kGenerate, false, {"generate", "--schema", "dynamodb"}, "", "b"},
        {Kind::kGenerate, true, {"generate", "--schema", "dynamodb"}, "", "c"},
        {Kind::kTag, true, {"tag", tag}, tag, ""},
        {Kind::kTag, false, {"tag", tag}, tag, ""},
        {Kind::kMigrate, true, core, "pg", ""},
        {Kind::kMigrate, false, core, "pg", ""},
        {Kind::kMigrate, true, billing, "pg", ""},
        {Kind::kMigrate, true, {"migrate", "run", "--target", "pg2"}, "pg2", ""},
        {Kind::kApply, true, {"apply", "--target", "ddb", "--auto-approve"}, "ddb", ""},
    };
  }

  void RunRound(int r) {
    PrepareRound(r);
    const std::vector<Racer> racers = Racers(r);
    std::vector<GatedCommand> commands;
    for (const Racer& racer : racers) {
      GatedCommand c;
      c.args = racer.args;
      if (racer.json_output) c.args.insert(c.args.begin(), "--json");
      if (!racer.adds.empty()) {
        c.move_from = staging_ + "/" + racer.adds + ".yaml";
        c.move_to = Added(r, racer.adds);
        c.after = 0;
      }
      commands.push_back(std::move(c));
    }
    std::vector<StrataRun> runs = RunTogether(commands, Environment(), project_, scratch_);
    ASSERT_EQ(runs.size(), racers.size());
    for (size_t i = 0; i < runs.size(); ++i) ran_.push_back({r, racers[i], std::move(runs[i])});
  }

  // A process run alone (the seed, the final apply), kept with the racers for the claims.
  void RunAlone(const Racer& racer) {
    std::vector<std::string> args = racer.args;
    if (racer.json_output) args.insert(args.begin(), "--json");
    ran_.push_back({-1, racer, Strata(args)});
  }

  // ---- the log -----------------------------------------------------------------------------

  // The log twice over: read with the engine's own reader (which checks the hash chain), and
  // as `strata log --json --events` shows it.
  struct Log {
    std::map<uint64_t, pb::Commit> commits;
    std::map<uint64_t, std::string> hashes;  // hex
    std::map<uint64_t, json> shown;
  };
  // Moves the project's log to a shared PostgreSQL log (a database of its own) before anything
  // is recorded.
  void UseSharedLog() {
    log_url_ = fmt::format("postgres://127.0.0.1:{}/{}?user=postgres&log=race",
                           TestClusterPort(), db_log_.name());
    const fs::path yaml = fs::path(project_) / "strata.yaml";
    std::ifstream in(yaml);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text.replace(0, std::string("version: 1\n").size(), "version: 1\nlog: " + log_url_ + "\n");
    WriteText(yaml, text);
  }

  Log ReadLog() {
    Log log;
    if (!log_url_.empty()) {
      postgres::PostgresLogStoreOptions o;
      o.conninfo = db_log_.conninfo();
      o.log_id = "race";
      auto store = postgres::PostgresLogStore::Open(o);
      EXPECT_TRUE(store.ok()) << store.status().ToString();
      if (store.ok()) {
        Status s = ScanStore(**store, Head{}, 500, [&](const LogEntry& e, const pb::Commit& c) {
          log.commits[c.seq()] = c;
          log.hashes[c.seq()] = HashHex(e.hash);
          return Status::Ok();
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    } else {
      ReadLogDirectory(&log);
    }
    StrataRun shown = Strata({"--json", "log", "--events"});
    EXPECT_EQ(shown.code, 0) << shown;
    const json document = shown.Json();
    for (const auto& c : document.at("commits")) log.shown[c.at("seq").get<uint64_t>()] = c;
    return log;
  }

  void ReadLogDirectory(Log* out) {
    Log& log = *out;
    auto env = NewPosixEnv();
    auto reader = CommitReader::Open(env.get(), (fs::path(project_) / ".strata").string());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (reader.ok()) {
      Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
        log.commits[c.commit.seq()] = c.commit;
        log.hashes[c.commit.seq()] = HashHex(c.hash);
        return Status::Ok();
      });
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }

  // This test's live tables on moto.
  std::set<std::string> LiveTables() {
    std::set<std::string> names;
    json input = json::object();
    while (true) {
      auto r = ddb_.Call("ListTables", input, nullptr);
      if (!r.ok()) {
        ADD_FAILURE() << r.status().ToString();
        break;
      }
      for (const auto& n : r->at("TableNames")) {
        if (n.get<std::string>().rfind(prefix_, 0) == 0) names.insert(n);
      }
      if (!r->contains("LastEvaluatedTableName")) break;
      input["ExclusiveStartTableName"] = r->at("LastEvaluatedTableName");
    }
    return names;
  }

  // ---- reading what each process said ------------------------------------------------------

  // The commits a process claims; a test failure for a process that failed where it should
  // not have, crashed, or said nothing a user could act on.
  std::vector<Claim> ClaimsOf(const Ran& p) {
    const StrataRun& r = p.run;
    EXPECT_EQ(r.signal, 0) << p.Name() << "\n" << r;
    switch (p.racer.kind) {
      case Kind::kGenerate: return GenerateClaims(p);
      case Kind::kTag: return TagClaims(p);
      case Kind::kMigrate: return MigrateClaims(p);
      case Kind::kApply: return ApplyClaims(p);
    }
    return {};
  }

  std::vector<Claim> GenerateClaims(const Ran& p) {
    const StrataRun& r = p.run;
    EXPECT_EQ(r.code, 0) << p.Name() << "\n" << r;
    Claim c(0, p.Name(), Kind::kGenerate);
    if (p.racer.json_output) {
      const json j = r.Json();
      if (!j.is_object()) return {};  // a test failure already
      if (!j.contains("seq")) {
        EXPECT_EQ(j.at("changes"), 0) << p.Name() << "\n" << r;
        ++stats_.generates_unchanged;
        return {};
      }
      c.seq = j.at("seq").get<uint64_t>();
      c.hash = j.at("hash");
      c.events = j.at("events");
      return {c};
    }
    static const std::regex recorded(R"(Recorded commit (\d+) \(([0-9a-f]{12})\))");
    static const std::regex created(R"(\+ dynamodb:(\S+)\n)");
    std::smatch m;
    if (!std::regex_search(r.out, m, recorded)) {
      // A loser: nothing to record, and it says so (and why, when it had to recompute).
      EXPECT_TRUE(Contains(r.out, "No changes: dynamodb matches the log at seq "))
          << p.Name() << "\n" << r;
      ++stats_.generates_unchanged;
      if (Contains(r.out, "(another strata process recorded them first)")) {
        ++stats_.generates_rebased;
      }
      return {};
    }
    c.seq = std::stoull(m[1]);
    c.hash = m[2];
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), created);
         it != std::sregex_iterator(); ++it) {
      c.created.insert((*it)[1]);
    }
    return {c};
  }

  std::vector<Claim> TagClaims(const Ran& p) {
    const StrataRun& r = p.run;
    const std::string& name = p.racer.detail;
    Claim c(0, p.Name(), Kind::kTag);
    c.tag = name;
    if (r.code == 1) {
      // The other process of the pair tagged first.
      EXPECT_TRUE(Contains(r.err, "tag \"" + name + "\" already names seq "))
          << p.Name() << "\n" << r;
      EXPECT_TRUE(Contains(r.err, "use --force to move it")) << p.Name() << "\n" << r;
      EXPECT_TRUE(r.out.empty()) << p.Name() << "\n" << r;
      ++stats_.tags_refused;
      return {};
    }
    EXPECT_EQ(r.code, 0) << p.Name() << "\n" << r;
    if (r.code != 0) return {};
    if (p.racer.json_output) {
      const json j = r.Json();
      if (!j.is_object()) return {};
      EXPECT_EQ(j.at("tag"), name) << p.Name() << "\n" << r;
      c.seq = j.at("commit").get<uint64_t>();
      c.tag_seq = j.at("seq").get<uint64_t>();
      return {c};
    }
    static const std::regex tagged(R"(Tagged seq (\d+) as (\S+); recorded as commit (\d+))");
    std::smatch m;
    if (!std::regex_search(r.out, m, tagged) || m[2] != name) {
      ADD_FAILURE() << p.Name() << " does not say what it tagged\n" << r;
      return {};
    }
    c.tag_seq = std::stoull(m[1]);
    c.seq = std::stoull(m[3]);
    return {c};
  }

  std::vector<Claim> MigrateClaims(const Ran& p) {
    const StrataRun& r = p.run;
    EXPECT_EQ(r.code, 0) << p.Name() << "\n" << r;
    EXPECT_FALSE(Contains(r.err, "drift")) << p.Name() << "\n" << r;
    std::vector<Claim> out;
    const std::string& database = p.racer.detail;
    if (p.racer.json_output) {
      const json j = r.Json();
      if (!j.is_object()) return out;
      EXPECT_EQ(j.at("ok"), true) << p.Name() << "\n" << r;
      std::set<std::string> applied, recorded;
      for (const auto& a : j.at("applied")) applied.insert(a.at("name").get<std::string>());
      for (const auto& c : j.at("recorded")) {
        Claim claim(c.at("seq").get<uint64_t>(), p.Name(), Kind::kMigrate);
        claim.migration = c.at("name");
        claim.migrate_kind = c.at("kind");
        claim.event_count = c.at("events").get<size_t>();
        claim.database = database;
        EXPECT_TRUE(c.at("drift").is_null()) << p.Name() << "\n" << r;
        recorded.insert(claim.migration);
        out.push_back(claim);
      }
      EXPECT_EQ(recorded, applied) << p.Name() << ": every migration it applied is recorded\n" << r;
      if (applied.empty()) ++stats_.migrates_idle;
      return out;
    }
    static const std::regex line(R"(recorded (\S+) as commit (\d+) \((\w+), (\d+) changes?\))");
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), line);
         it != std::sregex_iterator(); ++it) {
      Claim claim(std::stoull((*it)[2]), p.Name(), Kind::kMigrate);
      claim.migration = (*it)[1];
      claim.migrate_kind = (*it)[3];
      claim.event_count = std::stoull((*it)[4]);
      claim.database = database;
      out.push_back(claim);
    }
    if (out.empty()) {
      // It waited for the other run of its track, which applied everything.
      EXPECT_TRUE(Contains(r.out, "Nothing to apply; every migration is applied."))
          << p.Name() << "\n" << r;
      ++stats_.migrates_idle;
    } else {
      EXPECT_TRUE(Contains(r.out, fmt::format("Applied {} migration(s).", out.size())))
          << p.Name() << "\n" << r;
    }
    return out;
  }

  std::vector<Claim> ApplyClaims(const Ran& p) {
    const StrataRun& r = p.run;
    EXPECT_EQ(r.code, 0) << p.Name() << "\n" << r;
    const json j = r.Json();
    if (!j.is_object()) return {};
    if (!j.contains("applied")) {
      // The target was at the head already: nothing to do, nothing recorded, and the plan
      // it prints says so.
      EXPECT_TRUE(j.value("tables", json()).empty() && j.value("unapplied_commits", json()).empty())
          << p.Name() << "\n" << r;
      return {};
    }
    const json& applied = j.at("applied");
    EXPECT_EQ(applied.at("outcome"), "succeeded") << p.Name() << "\n" << r;
    Claim c(applied.at("deployment_seq").get<uint64_t>(), p.Name(), Kind::kApply);
    c.target_seq = applied.at("target_seq").get<uint64_t>();
    c.database = p.racer.detail;
    stats_.apply_operations += applied.at("operations_done").get<int>();
    return {c};
  }

  // ---- checking a claim against the log ----------------------------------------------------

  void ExpectInLog(const Claim& c, const pb::Commit& commit, const json& shown) {
    const std::string where = fmt::format("commit {} as claimed by {}", c.seq, c.by);
    switch (c.kind) {
      case Kind::kGenerate: {
        EXPECT_EQ(commit.origin(), pb::ORIGIN_GENERATE) << where;
        EXPECT_EQ(shown.at("hash").get<std::string>().substr(0, c.hash.size()), c.hash) << where;
        if (c.events) {
          EXPECT_EQ(shown.at("events"), *c.events) << where;
        } else {
          std::set<std::string> created;
          for (const auto& e : commit.events()) {
            if (e.dynamodb().has_create_table()) {
              created.insert(e.dynamodb().create_table().table().name());
            }
          }
          EXPECT_EQ(created, c.created) << where;
        }
        break;
      }
      case Kind::kTag:
        EXPECT_EQ(commit.origin(), pb::ORIGIN_TAG) << where;
        EXPECT_EQ(commit.tag().name(), c.tag) << where;
        EXPECT_EQ(commit.tag().target_seq(), c.tag_seq) << where;
        EXPECT_FALSE(commit.tag().deleted()) << where;
        break;
      case Kind::kMigrate:
        EXPECT_EQ(commit.migration().name(), c.migration) << where;
        if (c.migrate_kind == "migration") {
          EXPECT_EQ(commit.origin(), pb::ORIGIN_MIGRATE) << where;
          EXPECT_EQ(commit.migration().database(), c.database) << where;
          EXPECT_EQ(static_cast<size_t>(commit.events_size()), c.event_count) << where;
        } else {
          EXPECT_EQ(c.migrate_kind, "deployment") << where;  // never "recovered": nothing crashed
          EXPECT_EQ(commit.origin(), pb::ORIGIN_DEPLOY) << where;
          EXPECT_EQ(commit.deployment().target(), c.database) << where;
          EXPECT_EQ(commit.deployment().outcome(), pb::DEPLOYMENT_SUCCEEDED) << where;
        }
        break;
      case Kind::kApply:
        EXPECT_EQ(commit.origin(), pb::ORIGIN_DEPLOY) << where;
        EXPECT_EQ(commit.schema(), "dynamodb") << where;
        EXPECT_EQ(commit.deployment().target(), c.database) << where;
        EXPECT_EQ(commit.deployment().to_seq(), c.target_seq) << where;
        EXPECT_EQ(commit.deployment().outcome(), pb::DEPLOYMENT_SUCCEEDED) << where;
        break;
    }
  }

  // ---- the checks after all rounds ---------------------------------------------------------

  // Every process: no crash, the exit code its situation calls for, a truthful account. Returns
  // the commits they claim.
  std::vector<Claim> ReadEveryProcess() {
    std::vector<Claim> claims;
    std::map<std::string, int> tags_won;
    for (const Ran& p : ran_) {
      for (Claim& c : ClaimsOf(p)) {
        if (c.kind == Kind::kTag) ++tags_won[c.tag];
        claims.push_back(std::move(c));
      }
      if (Contains(p.run.err, "waiting for another writer to finish with the log")) {
        ++stats_.lock_waits;
      }
    }
    EXPECT_EQ(tags_won, OneEach(TagNames())) << "exactly one process of each pair tags";
    EXPECT_EQ(stats_.tags_refused, kRounds);
    return claims;
  }

  // The log: intact, dense, times never going back, nothing recovered (no process died between
  // a change and its commit), and `strata log` shows the same commits.
  void ExpectTheLogIntact(const Log& log) {
    StrataRun verify = Strata({"verify"});
    EXPECT_EQ(verify.code, 0) << verify;
    ASSERT_FALSE(log.commits.empty());
    EXPECT_EQ(log.commits.rbegin()->first, log.commits.size()) << "seqs are dense from 1";
    ASSERT_EQ(log.shown.size(), log.commits.size());
    int64_t last_time = 0;
    for (const auto& [seq, c] : log.commits) {
      EXPECT_GE(c.time_unix_micros(), last_time)
          << "commit " << seq << " is older than the one before";
      last_time = c.time_unix_micros();
      EXPECT_NE(c.origin(), pb::ORIGIN_RECOVERED) << "commit " << seq << ": " << c.message();
      ASSERT_TRUE(log.shown.count(seq)) << "strata log lacks commit " << seq;
      EXPECT_EQ(log.shown.at(seq).at("hash"), log.hashes.at(seq)) << "commit " << seq;
      EXPECT_EQ(log.shown.at(seq).at("event_count"), c.events_size()) << "commit " << seq;
    }
  }

  // Every claim is a commit holding what was claimed, and every commit has exactly one
  // claimant: no process says it recorded something the log lacks, and nothing in the log was
  // recorded without the process that recorded it saying so.
  void ExpectClaimsAreTheLog(const std::vector<Claim>& claims, const Log& log) {
    const auto& commits = log.commits;
    const auto& shown = log.shown;
    std::map<uint64_t, std::vector<std::string>> claimants;
    for (const Claim& c : claims) {
      claimants[c.seq].push_back(c.by);
      if (!commits.count(c.seq) || !shown.count(c.seq)) {
        ADD_FAILURE() << c.by << " claims commit " << c.seq << ", which is not in the log";
        continue;
      }
      ExpectInLog(c, commits.at(c.seq), shown.at(c.seq));
    }
    for (const auto& [seq, c] : commits) {
      auto it = claimants.find(seq);
      EXPECT_TRUE(it != claimants.end() && it->second.size() == 1)
          << "commit " << seq << " (" << c.message() << ") is claimed by "
          << (it == claimants.end() ? std::string("no process")
                                    : fmt::format("{}", fmt::join(it->second, "; ")));
    }
  }

  // DynamoDB: each table created once, each later tag recorded once, nothing else; each tag of
  // the log recorded once.
  void ExpectEachDynamoDbChangeOnce(const Log& log) {
    const auto& shown = log.shown;
    std::map<std::string, int> creates, set_tags, tags;
    for (const auto& [seq, c] : log.commits) {
      if (c.has_tag()) ++tags[c.tag().name()];
      if (c.schema() != "dynamodb") continue;
      for (const auto& e : shown.at(seq).at("events")) {
        const std::string op = e.at("op"), object = e.at("object");
        if (op == "create_table") ++creates[object];
        else if (op == "set_tag") ++set_tags[object];
        else ADD_FAILURE() << "commit " << seq << ": unexpected " << e.dump();
      }
    }
    EXPECT_EQ(creates, OneEach(tables_));
    EXPECT_EQ(set_tags, OneEach(tagged_));
    EXPECT_EQ(tags, OneEach(TagNames()));
  }

  // PostgreSQL: each migration is one `migrate` commit holding what that migration did (and
  // nothing another track did meanwhile), and is recorded once on each database: where it ran
  // first in that commit, on the other as a deployment referring to it.
  void ExpectEachMigrationOnce(const Log& log) {
    const auto& commits = log.commits;
    const auto& shown = log.shown;
    std::map<std::string, int> migrate_commits;
    std::map<std::string, std::multiset<std::string>> ran_on;  // stem -> databases
    for (const auto& [seq, c] : commits) {
      if (c.schema() != "postgres") continue;
      const std::string& stem = c.migration().name();
      if (c.origin() == pb::ORIGIN_MIGRATE) {
        ++migrate_commits[stem];
        ran_on[stem].insert(c.migration().database());
        if (c.migration().database() == "pg2") ++stats_.first_on_pg2;
        std::set<std::string> objects;
        for (const auto& e : shown.at(seq).at("events")) {
          objects.insert(e.at("object").get<std::string>());
        }
        EXPECT_EQ(objects, std::set<std::string>{migrations_[stem]})
            << "commit " << seq << " of " << stem << ":\n" << shown.at(seq).dump(1);
      } else {
        EXPECT_EQ(c.origin(), pb::ORIGIN_DEPLOY) << "commit " << seq << ": " << c.message();
        ran_on[stem].insert(c.deployment().target());
        const uint64_t first = c.deployment().refers_to_seq();
        EXPECT_TRUE(first > 0 && first < seq && commits.at(first).migration().name() == stem)
            << "commit " << seq << " (" << c.message() << ") refers to " << first;
      }
    }
    std::map<std::string, std::multiset<std::string>> on_both;
    for (const auto& [stem, object] : migrations_) on_both[stem] = {"pg", "pg2"};
    EXPECT_EQ(migrate_commits, OneEach(Keys(migrations_)));
    EXPECT_EQ(ran_on, on_both);
  }

  // The artifacts beside the log: one per generate commit (a generate that lost the race for an
  // artifact number took the next, it did not replace the other's), and no temporary file left.
  void ExpectAnArtifactPerGenerateCommit(const Log& log) {
    std::multiset<uint64_t> generated, artifacts;
    for (const auto& [seq, c] : log.commits) {
      if (c.schema() == "dynamodb" && c.origin() == pb::ORIGIN_GENERATE) generated.insert(seq);
    }
    for (const auto& e : fs::directory_iterator(fs::path(project_) / "artifacts/dynamodb")) {
      const std::string name = e.path().filename().string();
      if (name == "snapshot.json") continue;
      EXPECT_EQ(e.path().extension(), ".json") << name;
      const json artifact = json::parse(SlurpFile(e.path().string()), nullptr, false);
      if (artifact.is_object() && artifact.contains("seq")) {
        artifacts.insert(artifact.at("seq").get<uint64_t>());
      } else {
        ADD_FAILURE() << name << " is not an artifact";
      }
    }
    EXPECT_EQ(artifacts, generated);
  }

  // moto holds exactly the recorded tables, as recorded, and each database holds the recorded
  // schema with nothing pending.
  void ExpectTheBackendsMatchTheLog() {
    EXPECT_EQ(LiveTables(), tables_);
    StrataRun ddb_drift = Strata({"drift", "--target", "ddb"});
    EXPECT_EQ(ddb_drift.code, 0) << ddb_drift;
    for (const std::string target : {"pg", "pg2"}) {
      StrataRun drift = Strata({"drift", "--target", target});
      EXPECT_EQ(drift.code, 0) << drift;
      StrataRun pending = Strata({"migrate", "status", "--target", target, "--detailed-exitcode"});
      EXPECT_EQ(pending.code, 0) << pending;
    }
  }

  std::set<std::string> TagNames() const {
    std::set<std::string> names;
    for (int r = 0; r < kRounds; ++r) names.insert(fmt::format("t{}_x", r));
    return names;
  }
  static std::set<std::string> Keys(const std::map<std::string, std::string>& m) {
    std::set<std::string> keys;
    for (const auto& [k, v] : m) keys.insert(k);
    return keys;
  }
  static std::map<std::string, int> OneEach(const std::set<std::string>& names) {
    std::map<std::string, int> out;
    for (const auto& n : names) out[n] = 1;
    return out;
  }

  // Counted as they are read, for the summary line.
  struct Stats {
    int generates_unchanged = 0, generates_rebased = 0, tags_refused = 0, migrates_idle = 0;
    int lock_waits = 0, apply_operations = 0, first_on_pg2 = 0;
  };

  void PrintSummary(size_t racing, size_t commits) const {
    std::cout << fmt::format(
        "{} racing processes in {} rounds, {} commits. Generates that found nothing left to "
        "record: {} ({} said another process recorded it first); tags refused: {}; migrate "
        "runs with nothing to apply: {}; migrations recorded first on pg2: {} of {}; DynamoDB "
        "operations applied: {}; processes that waited for the log's lock: {}\n",
        racing, kRounds, commits, stats_.generates_unchanged, stats_.generates_rebased,
        stats_.tags_refused, stats_.migrates_idle, stats_.first_on_pg2, migrations_.size(),
        stats_.apply_operations, stats_.lock_waits);
  }

  void RunTheRace() {
    WriteTable(prefix_ + "seed");  // something to tag from the first round on
    RunAlone({Kind::kGenerate, true, {"generate", "-m", "seed"}, "", ""});
    ASSERT_EQ(ran_.back().run.code, 0) << ran_.back().run;
    for (int r = 0; r < kRounds; ++r) {
      ASSERT_NO_FATAL_FAILURE(RunRound(r));
    }
    const size_t racing = ran_.size() - 1;
    EXPECT_GE(racing, 200u);
    // The last deployment brings moto to the head (or finds it there and records nothing).
    RunAlone({Kind::kApply, true, {"apply", "--target", "ddb", "--auto-approve"}, "ddb", ""});

    const std::vector<Claim> claims = ReadEveryProcess();
    const Log log = ReadLog();
    ASSERT_NO_FATAL_FAILURE(ExpectTheLogIntact(log));
    ExpectClaimsAreTheLog(claims, log);
    ExpectEachDynamoDbChangeOnce(log);
    ExpectEachMigrationOnce(log);
    ExpectAnArtifactPerGenerateCommit(log);
    ExpectTheBackendsMatchTheLog();
    PrintSummary(racing, log.commits.size());
  }

  MotoIdentity keys_;
  std::string endpoint_;
  TestDynamoDb ddb_{endpoint_, keys_};
  TestDatabase db_a_, db_b_;
  TestDatabase db_log_;  // the shared log's, when UseSharedLog() is called
  std::string log_url_;
  TempDir tmp_;
  std::string prefix_, project_, scratch_, staging_;
  std::set<std::string> tables_;                   // every DynamoDB table written
  std::set<std::string> tagged_;                   // the tables given a tag later
  std::map<std::string, std::string> migrations_;  // stem -> the table it changes
  std::vector<Ran> ran_;
  Stats stats_;
};

TEST_F(MixedRaceTest, ManyWritersAtOnceRecordEveryChangeOnceAndBothBackendsMatchTheLog) {
  RunTheRace();
}

TEST_F(MixedRaceTest, OnASharedPostgresLogEveryChangeIsRecordedOnceAndBothBackendsMatchIt) {
  UseSharedLog();
  RunTheRace();
}

}  // namespace
}  // namespace strata::testing
