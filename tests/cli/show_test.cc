// `show` of a whole schema large enough that its checkpoint restores on two threads and stays in
// two parts through the replay (engine/index/state_parts.h): the lines are every table once,
// in name order, as of the asked point, and agree with `--json show` (which joins the parts).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "tests/engine/testing/dynamo_events.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

constexpr int kTables = 3000;

std::string TableName(int i) {
  std::string n = std::to_string(i);
  return "tbl-" + std::string(5 - n.size(), '0') + n;
}

pb::Commit Commit(const std::string& message) {
  pb::Commit c;
  c.set_schema("dynamodb");
  c.set_engine(pb::ENGINE_DYNAMODB);
  c.set_origin(pb::ORIGIN_GENERATE);
  c.mutable_actor()->set_name("alice");
  c.set_message(message);
  return c;
}

// A table with a dozen tags of random hex, so that the log and the checkpoint are large (the
// checkpoint a dozen blocks).
void AddCreate(pb::Commit* c, const std::string& name, std::mt19937_64& rng) {
  pb::Event* e = c->add_events();
  *e = testing::CreateTableEvent(name);
  pb::DynamoTable* t = e->mutable_dynamodb()->mutable_create_table()->mutable_table();
  for (int k = 0; k < 12; ++k) {
    (*t->mutable_tags())["tag" + std::to_string(k)] = fmt::format("{:016x}{:016x}", rng(), rng());
  }
}

void AddProvisioned(pb::Commit* c, const std::string& name) {
  auto* b = c->add_events()->mutable_dynamodb()->mutable_set_billing();
  b->set_table(name);
  b->set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  b->mutable_throughput()->set_read_capacity_units(7);
  b->mutable_throughput()->set_write_capacity_units(9);
}

class ShowWholeSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();
    auto init = testing::RunStrata({"init", "--yes"}, env_, dir_);
    ASSERT_EQ(init.code, 0) << init;
    auto penv = NewPosixEnv();
    auto w = CommitWriter::Open(penv.get(), dir_ + "/.strata", LogOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::mt19937_64 rng(42);
    // Seq 1: most tables (a checkpoint follows it); seq 2: the rest; seq 3: two tables on
    // either side of any split turn provisioned, one is dropped and one created.
    pb::Commit first = Commit("most tables");
    for (int i = 0; i < kTables - 500; ++i) AddCreate(&first, TableName(i), rng);
    pb::Commit second = Commit("the rest");
    for (int i = kTables - 500; i < kTables; ++i) AddCreate(&second, TableName(i), rng);
    pb::Commit third = Commit("tuning");
    AddProvisioned(&third, TableName(3));
    AddProvisioned(&third, TableName(kTables - 3));
    third.add_events()->mutable_dynamodb()->mutable_drop_table()->set_table(TableName(1500));
    AddCreate(&third, "tbl-01500-new", rng);
    for (pb::Commit* c : {&first, &second, &third}) {
      auto appended = (*w)->Append(*c);
      ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    }
  }

  // The table lines of `show` output (indented by two spaces), without the indent.
  static std::vector<std::string> TableLines(const std::string& out) {
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("  ", 0) == 0) lines.push_back(line.substr(2));
    }
    return lines;
  }

  strata::testing::TempDir tmp_;
  std::string dir_;
  std::vector<std::string> env_ = {"PATH=/usr/bin:/bin", "NO_COLOR=1", "STRATA_ACTOR_NAME=t"};
};

TEST_F(ShowWholeSchemaTest, EveryTableOnceInNameOrderAsOfEachPoint) {
  for (const char* at : {"1", "2", "3"}) {
    SCOPED_TRACE(std::string("at ") + at);
    auto text = testing::RunStrata({"show", "--at", at}, env_, dir_);
    ASSERT_EQ(text.code, 0) << text;
    auto json = testing::RunStrata({"--json", "show", "--at", at}, env_, dir_);
    ASSERT_EQ(json.code, 0) << json;
    const nlohmann::json doc = json.Json();
    const nlohmann::json& tables = doc["schemas"]["dynamodb"]["objects"];
    std::set<std::string> expected;
    for (const auto& [name, _] : tables.items()) expected.insert(name);

    const std::vector<std::string> lines = TableLines(text.out);
    std::vector<std::string> names;
    for (const std::string& line : lines) names.push_back(line.substr(0, line.find("  ")));
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
    EXPECT_EQ(names.size(), expected.size());  // no table twice
  }
  auto head = testing::RunStrata({"show"}, env_, dir_);
  ASSERT_EQ(head.code, 0) << head;
  const std::vector<std::string> lines = TableLines(head.out);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kTables));  // one dropped, one created
  EXPECT_EQ(lines[3], "tbl-00003  PK id (S)  provisioned 7/9");
  EXPECT_EQ(lines[kTables - 3], "tbl-02997  PK id (S)  provisioned 7/9");
  EXPECT_EQ(lines[4], "tbl-00004  PK id (S)  on-demand");
  EXPECT_EQ(lines[1500], "tbl-01500-new  PK id (S)  on-demand");
  EXPECT_EQ(lines[1501], "tbl-01501  PK id (S)  on-demand");
}

}  // namespace
}  // namespace strata
