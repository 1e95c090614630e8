// Several strata processes writing one project's log at the same moment, as the real binary:
// each round starts its processes together (forked, held at a gate, released at once) and
// waits for all of them. Whatever the interleaving, the log must verify, every change must be
// recorded exactly once, every process must succeed and say what it did, and commit times
// must never go backwards. No assertion depends on timing.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/run_together.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::RunStrata;
using testing::StrataRun;

// The real clock (no STRATA_NOW), so that the order of commit times is the recorder's doing.
std::vector<std::string> Environment() {
  return {"NO_COLOR=1", "PATH=/usr/bin:/bin", "STRATA_ACTOR_NAME=racer",
          "STRATA_ACTOR_EMAIL=racer@shop.example", "STRATA_ACTOR_HOST=ci"};
}

// Runs every command (strata's arguments) in `dir` at the same moment (see run_together.h).
std::vector<StrataRun> RunTogether(const std::vector<std::vector<std::string>>& commands,
                                   const std::string& dir, const std::string& scratch) {
  std::vector<testing::GatedCommand> gated;
  for (const auto& args : commands) {
    testing::GatedCommand c;
    c.args = args;
    gated.push_back(std::move(c));
  }
  return testing::RunTogether(gated, Environment(), dir, scratch);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_ / "shop";
    scratch_ = tmp_ / "runs";
    fs::create_directories(project_);
    fs::create_directories(scratch_);
    StrataRun init = Strata({"init", "--yes"});
    ASSERT_EQ(init.code, 0) << init;
  }

  StrataRun Strata(const std::vector<std::string>& args) {
    return RunStrata(args, Environment(), project_);
  }

  void WriteTable(const std::string& name) {
    std::ofstream(fs::path(project_) / "schema" / "dynamodb" / (name + ".yaml"))
        << "table: " << name << "\npartition_key: { name: id, type: S }\n";
  }

  // Every commit of the log, read with the engine's own reader (which checks the chain).
  std::vector<pb::Commit> Commits() {
    std::vector<pb::Commit> out;
    auto env = NewPosixEnv();
    auto reader = CommitReader::Open(env.get(), (fs::path(project_) / ".strata").string());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return out;
    Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
      out.push_back(c.commit);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // How many create_table events each table has along the whole log.
  static std::map<std::string, int> CreatesPerTable(const std::vector<pb::Commit>& commits) {
    std::map<std::string, int> out;
    for (const auto& c : commits) {
      for (const auto& e : c.events()) {
        if (e.has_dynamodb() && e.dynamodb().has_create_table()) {
          ++out[e.dynamodb().create_table().table().name()];
        }
      }
    }
    return out;
  }

  static void ExpectTimesNeverDecrease(const std::vector<pb::Commit>& commits) {
    for (size_t i = 1; i < commits.size(); ++i) {
      EXPECT_GE(commits[i].time_unix_micros(), commits[i - 1].time_unix_micros())
          << "commit " << commits[i].seq() << " is older than commit " << commits[i - 1].seq();
    }
  }

  // What `strata generate` records for a new table file: its events, taken from a copy of the
  // project that has the file (the project itself is left as it is).
  std::vector<pb::Event> EventsRecordedFor(const std::string& table) {
    const std::string copy = tmp_ / "copy";
    fs::copy(project_, copy, fs::copy_options::recursive);
    std::ofstream(fs::path(copy) / "schema" / "dynamodb" / (table + ".yaml"))
        << "table: " << table << "\npartition_key: { name: id, type: S }\n";
    StrataRun generate = RunStrata({"generate"}, Environment(), copy);
    EXPECT_EQ(generate.code, 0) << generate;
    auto env = NewPosixEnv();
    auto reader = CommitReader::Open(env.get(), (fs::path(copy) / ".strata").string());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<pb::Event> events;
    if (!reader.ok()) return events;
    Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
      events.assign(c.commit.events().begin(), c.commit.events().end());  // the last one's
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return events;
  }

  // Waits until `path` holds `text` (what a process prints when it gets somewhere); false if
  // that never happens.
  static bool WaitForText(const std::string& path, const std::string& text) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      if (Contains(testing::SlurpFile(path), text)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  void ExpectVerifies() {
    StrataRun verify = Strata({"verify"});
    EXPECT_EQ(verify.code, 0) << verify;
    EXPECT_EQ(verify.out.rfind("ok: ", 0), 0u) << verify;
  }

  strata::testing::TempDir tmp_;
  std::string project_, scratch_;
};

TEST_F(ConcurrencyTest, TwoGeneratesAtOnceRecordEachNewTableExactlyOnce) {
  constexpr int kRounds = 15;
  for (int i = 0; i < kRounds; ++i) {
    const std::string table = "tbl" + std::to_string(i);
    WriteTable(table);
    std::vector<StrataRun> runs = RunTogether({{"generate"}, {"generate"}}, project_, scratch_);
    ASSERT_EQ(runs.size(), 2u);
    int recorded = 0, unchanged = 0;
    for (const StrataRun& r : runs) {
      EXPECT_EQ(r.code, 0) << "round " << i << "\n" << r;
      if (Contains(r.out, "Recorded commit")) {
        ++recorded;
        EXPECT_TRUE(Contains(r.out, "+ dynamodb:" + table + "\n")) << "round " << i << "\n" << r;
      }
      if (Contains(r.out, "No changes")) ++unchanged;
    }
    EXPECT_EQ(recorded, 1) << "round " << i << "\n" << runs[0] << "\n" << runs[1];
    EXPECT_EQ(unchanged, 1) << "round " << i << "\n" << runs[0] << "\n" << runs[1];
  }

  ExpectVerifies();
  const std::vector<pb::Commit> commits = Commits();
  EXPECT_EQ(commits.size(), static_cast<size_t>(kRounds));  // one commit per round, no more
  std::map<std::string, int> expected;
  for (int i = 0; i < kRounds; ++i) expected["tbl" + std::to_string(i)] = 1;
  EXPECT_EQ(CreatesPerTable(commits), expected);
  ExpectTimesNeverDecrease(commits);
  // The log as `strata log` shows it agrees.
  StrataRun log = Strata({"--json", "log", "--events"});
  ASSERT_EQ(log.code, 0) << log;
  const nlohmann::json shown_log = log.Json();
  std::map<std::string, int> shown;
  for (const auto& c : shown_log["commits"]) {
    for (const auto& e : c["events"]) {
      if (e["op"] == "create_table") ++shown[e["object"].get<std::string>()];
    }
  }
  EXPECT_EQ(shown, expected);
}

TEST_F(ConcurrencyTest, TagsAndGeneratesAtOnceEachRecordOnceAndTimesNeverGoBack) {
  // Something to tag from the start.
  WriteTable("seed");
  StrataRun seed = Strata({"generate"});
  ASSERT_EQ(seed.code, 0) << seed;

  constexpr int kRounds = 5, kTagsPerRound = 4;
  int tag_count = 0;
  for (int round = 0; round < kRounds; ++round) {
    WriteTable("tbl" + std::to_string(round));
    std::vector<std::vector<std::string>> commands = {{"generate"}, {"generate"}};
    for (int k = 0; k < kTagsPerRound; ++k) {
      commands.push_back({"tag", "t" + std::to_string(tag_count++)});
    }
    std::vector<StrataRun> runs = RunTogether(commands, project_, scratch_);
    ASSERT_EQ(runs.size(), commands.size());
    int recorded = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
      EXPECT_EQ(runs[i].code, 0) << "round " << round << ": strata " << commands[i][0] << " "
                                 << (commands[i].size() > 1 ? commands[i][1] : "") << "\n"
                                 << runs[i];
      if (i < 2 && Contains(runs[i].out, "Recorded commit")) ++recorded;
      if (i >= 2) {
        EXPECT_TRUE(Contains(runs[i].out, " as " + commands[i][1] + "; recorded as commit "))
            << runs[i];
      }
    }
    EXPECT_EQ(recorded, 1) << "round " << round;
  }

  ExpectVerifies();
  const std::vector<pb::Commit> commits = Commits();
  // The seed, one generate per round, every tag.
  EXPECT_EQ(commits.size(), static_cast<size_t>(1 + kRounds + tag_count));
  ExpectTimesNeverDecrease(commits);

  std::map<std::string, int> expected_tables = {{"seed", 1}};
  for (int r = 0; r < kRounds; ++r) expected_tables["tbl" + std::to_string(r)] = 1;
  EXPECT_EQ(CreatesPerTable(commits), expected_tables);

  // Each tag is recorded once, names a seq before its own commit, and nothing else tags.
  std::map<std::string, int> tag_commits;
  for (const auto& c : commits) {
    if (!c.has_tag()) continue;
    ++tag_commits[c.tag().name()];
    EXPECT_FALSE(c.tag().deleted()) << c.tag().name();
    EXPECT_GE(c.tag().target_seq(), 1u) << c.tag().name();
    EXPECT_LT(c.tag().target_seq(), c.seq()) << c.tag().name();
  }
  std::map<std::string, int> expected_tags;
  for (int t = 0; t < tag_count; ++t) expected_tags["t" + std::to_string(t)] = 1;
  EXPECT_EQ(tag_commits, expected_tags);

  // The index agrees: `strata tag` lists each once, at a seq that exists.
  StrataRun list = Strata({"--json", "tag"});
  ASSERT_EQ(list.code, 0) << list;
  const nlohmann::json tags = list.Json();
  std::map<std::string, int> listed;
  for (const auto& t : tags["tags"]) {
    ++listed[t["name"].get<std::string>()];
    EXPECT_GE(t["seq"].get<uint64_t>(), 1u);
    EXPECT_LE(t["seq"].get<uint64_t>(), commits.size());
  }
  EXPECT_EQ(listed, expected_tags);
}

// A generate that has to recompute because another writer appended first reads the files
// again: the other writer's change was made from files that are in place by then, and a diff of
// the files as first read against the new head would record undoing that change (dropping the
// table the other writer just added). The order is forced, not timed: the generate is held at
// the log's writer lock until the other writer has appended.
TEST_F(ConcurrencyTest, AGenerateThatRecomputesReadsTheFilesAgain) {
  WriteTable("seed");
  ASSERT_EQ(Strata({"generate"}).code, 0);
  const std::vector<pb::Event> create_added = EventsRecordedFor("added");
  ASSERT_EQ(create_added.size(), 1u);
  WriteTable("mine");

  auto env = NewPosixEnv();
  auto writer =
      CommitWriter::Open(env.get(), (fs::path(project_) / ".strata").string(), LogOptions{});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  std::vector<StrataRun> runs;
  std::thread generate([&] { runs = RunTogether({{"generate"}}, project_, scratch_); });
  // It has read its files and the head, made its commit, and waits for the lock.
  EXPECT_TRUE(
      WaitForText(scratch_ + "/err.0", "waiting for another writer to finish with the log"));
  // The other writer: its file, then its commit.
  WriteTable("added");
  pb::Commit other;
  other.set_time_unix_micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
  other.mutable_actor()->set_name("other");
  other.set_message("create added");
  other.set_origin(pb::ORIGIN_GENERATE);
  other.set_schema("dynamodb");
  other.set_engine(pb::ENGINE_DYNAMODB);
  for (const auto& e : create_added) *other.add_events() = e;
  auto appended = (*writer)->Append(other);
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  writer->reset();  // the lock is free: the generate finds the head moved and recomputes
  generate.join();

  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].code, 0) << runs[0];
  EXPECT_TRUE(Contains(runs[0].out, "+ dynamodb:mine\n")) << runs[0];
  EXPECT_TRUE(Contains(runs[0].out, "Recorded commit 3 ")) << runs[0];
  EXPECT_FALSE(Contains(runs[0].out, "added")) << runs[0];
  ExpectVerifies();
  const std::vector<pb::Commit> commits = Commits();
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(CreatesPerTable(commits),
            (std::map<std::string, int>{{"seed", 1}, {"added", 1}, {"mine", 1}}));
  for (const auto& e : commits[2].events()) {
    EXPECT_TRUE(e.dynamodb().has_create_table()) << e.DebugString();  // nothing dropped
  }
  ExpectTimesNeverDecrease(commits);
}

}  // namespace
}  // namespace strata
