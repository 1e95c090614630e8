// strata report, as the real binary: the page is written whole or not at all, holds nothing
// from the network, carries the known history (tests/cli/report_history.h), and keeps hostile
// names, actors and messages as text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/report_history.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::RunStrata;
using testing::StrataRun;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The JSON the page embeds, parsed.
nlohmann::json PageData(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const size_t start = html.find(open);
  if (start == std::string::npos) {
    ADD_FAILURE() << "no report-data element";
    return nlohmann::json();
  }
  const size_t body = start + open.size();
  const size_t end = html.find("</script>", body);
  return nlohmann::json::parse(html.substr(body, end - body));
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(tmp_.path()) / "shop").string();
    const std::string error = testing::WriteReportHistory(dir_);
    ASSERT_EQ(error, "");
  }
  StrataRun Report(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    return RunStrata(args, {"PATH=/usr/bin:/bin", "NO_COLOR=1", "STRATA_NOW=2026-03-20T12:00:00Z"},
                     dir_);
  }
  // Files in the project directory other than the project's own (a report, a temporary file).
  std::vector<std::string> StrayFiles() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (name != "strata.yaml" && name != ".strata" && name != "schema" && name != "migrations") {
        out.push_back(name);
      }
    }
    return out;
  }

  strata::testing::TempDir tmp_;
  std::string dir_;
};

TEST_F(ReportTest, WritesOneSelfContainedPageInTheCurrentDirectory) {
  StrataRun r = Report({});
  ASSERT_EQ(r.code, 0) << r;
  const fs::path file = fs::path(dir_) / "strata-report.html";
  EXPECT_NE(r.out.find("wrote " + file.string()), std::string::npos) << r;
  EXPECT_NE(r.out.find("10 commits, 4 objects (4 with full history), 3 deployments"),
            std::string::npos)
      << r;
  const std::string html = ReadFile(file);
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing is fetched: no remote address, no external script, style sheet, image or font.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_FALSE(std::regex_search(
      html, std::regex(R"(<(script|img|iframe)[^>]*\ssrc\s*=)", std::regex::icase)));
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(StrayFiles(), std::vector<std::string>{"strata-report.html"});
}

TEST_F(ReportTest, JsonPrintsOnlyASummary) {
  StrataRun r = RunStrata({"--json", "report", "--out", "out.html"},
                          {"PATH=/usr/bin:/bin", "NO_COLOR=1"}, dir_);
  ASSERT_EQ(r.code, 0) << r;
  const nlohmann::json j = r.Json();
  const fs::path file = fs::path(dir_) / "out.html";
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["path"], file.string());
  EXPECT_EQ(j["bytes"], fs::file_size(file));
  EXPECT_EQ(j["commits"], 10);
  EXPECT_EQ(j["commits_in_range"], 10);
  EXPECT_EQ(j["objects"], 4);
  EXPECT_EQ(j["detailed_objects"], 4);
  EXPECT_EQ(j["deployments"], 3);
  EXPECT_EQ(r.err, "");
}

TEST_F(ReportTest, HoldsTheCommitsObjectsAndDeploymentsOfTheHistory) {
  ASSERT_EQ(Report({}).code, 0);
  const nlohmann::json d = PageData(ReadFile(fs::path(dir_) / "strata-report.html"));
  EXPECT_EQ(d["head"], 10);
  EXPECT_EQ(d["extra_commits"]["seq"], nlohmann::json::array()) << "all in the timeline";
  EXPECT_EQ(d["commits"]["seq"], nlohmann::json({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(d["commits"]["time"][0], 1772355600);
  const auto& actors = d["actors"];
  EXPECT_EQ(actors[d["commits"]["actor"][1].get<size_t>()], "bob <bob@shop.example>");
  EXPECT_EQ(d["origins"][d["commits"]["origin"][4].get<size_t>()], "deploy");
  EXPECT_EQ(d["commits"]["message"][6], "customers retired");

  // Objects: names, whether dropped, and the commits that touched each (delta-encoded).
  const auto& o = d["objects"];
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < o["name"].size(); ++i) at[o["name"][i]] = i;
  ASSERT_EQ(at.size(), 4u) << o["name"];
  ASSERT_TRUE(at.count("orders") && at.count("customers") && at.count("app"));
  ASSERT_TRUE(at.count(std::string("app.") + testing::kHostileTable)) << o["name"];
  EXPECT_EQ(o["fate"][at["customers"]], 1) << "dropped";
  EXPECT_EQ(o["fate"][at["orders"]], 0) << "exists";
  EXPECT_EQ(o["seqs"][at["orders"]], nlohmann::json({1, 2, 3}));  // seqs 1, 3, 6

  // The full history of orders: a version per commit, its changes, its text rebuilt by edits.
  const auto& detail = d["details"][o["detail"][at["orders"]].get<size_t>()];
  ASSERT_EQ(detail["versions"].size(), 3u);
  EXPECT_EQ(detail["versions"][1]["seq"], 3);
  EXPECT_EQ(detail["versions"][1]["changes"][0][0], "~");
  EXPECT_NE(detail["versions"][1]["changes"][0][1].get<std::string>().find("by_status"),
            std::string::npos);
  const std::string created = detail["versions"][0]["edit"][0][2].dump();
  EXPECT_NE(created.find(R"(\"TableName\": \"orders\")"), std::string::npos) << created;
  EXPECT_EQ(detail["versions"][2]["edit"].dump().find("TableName"), std::string::npos)
      << "the third version is an edit of the second, not the whole text again";
  const auto& customers = d["details"][o["detail"][at["customers"]].get<size_t>()];
  EXPECT_EQ(customers["versions"].back()["gone"], true);

  // Deployments per target, the targets' cursors, and the tag.
  const auto& dep = d["deployments"];
  EXPECT_EQ(dep["seq"], nlohmann::json({5, 8, 9}));
  EXPECT_EQ(d["targets"][dep["target"][2].get<size_t>()], "staging-ddb");
  EXPECT_EQ(dep["outcome"], nlohmann::json({"succeeded", "failed", "succeeded"}));
  EXPECT_EQ(dep["detail"][1], "throttled");
  EXPECT_EQ(d["cursors"], nlohmann::json::parse(R"([
      {"target": "prod-ddb", "seq": 3, "deployment_seq": 8, "outcome": "failed"},
      {"target": "staging-ddb", "seq": 7, "deployment_seq": 9, "outcome": "succeeded"}])"));
  EXPECT_EQ(d["tags"], nlohmann::json::parse(R"([{"name": "v1", "seq": 3}])"));
}

TEST_F(ReportTest, HostileNamesActorsAndMessagesStayText) {
  ASSERT_EQ(Report({}).code, 0);
  const std::string html = ReadFile(fs::path(dir_) / "strata-report.html");
  EXPECT_EQ(html.find(testing::kHostileTable), std::string::npos);
  EXPECT_EQ(html.find(testing::kHostileMessage), std::string::npos);
  EXPECT_EQ(html.find(testing::kHostileActor), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b "), std::string::npos);
  EXPECT_EQ(html.find("__xss=1\">"), std::string::npos);
  // The data element and the script: two ends of a script element, no more.
  EXPECT_EQ(Count(html, "</script>"), 2u);
  EXPECT_EQ(Count(html, "<script"), 2u);
  // ... and the text arrives intact.
  const nlohmann::json d = PageData(html);
  EXPECT_NE(d["commits"]["message"].dump().find("window.__xss=2"), std::string::npos);
  EXPECT_EQ(d["commits"]["message"][2], testing::kHostileMessage);
  EXPECT_EQ(d["commits"]["message"][3], "app schema & a table named '<img>'");
  bool actor = false;
  for (const auto& a : d["actors"]) actor |= a == testing::kHostileActor;
  EXPECT_TRUE(actor) << d["actors"];
}

TEST_F(ReportTest, FlagsBoundWhatIsEmbedded) {
  StrataRun r = RunStrata({"--json", "report", "--max-commits", "3", "--max-objects", "1"},
                          {"PATH=/usr/bin:/bin"}, dir_);
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.Json()["commits"], 3);
  EXPECT_EQ(r.Json()["commits_in_range"], 10);
  EXPECT_EQ(r.Json()["detailed_objects"], 1);
  nlohmann::json d = PageData(ReadFile(fs::path(dir_) / "strata-report.html"));
  EXPECT_EQ(d["commits"]["seq"], nlohmann::json({8, 9, 10}));
  // The most recently changed object: customers (dropped at seq 7).
  EXPECT_EQ(d["objects"]["name"][d["details"][0]["object"].get<size_t>()], "customers");
  // Its versions older than the timeline keep who made them, when and why.
  EXPECT_EQ(d["extra_commits"]["seq"], nlohmann::json({2, 7}));
  EXPECT_EQ(d["actors"][d["extra_commits"]["actor"][0].get<size_t>()], "bob <bob@shop.example>");
  EXPECT_EQ(d["extra_commits"]["message"][1], "customers retired");

  r = RunStrata({"--json", "report", "--objects", "orders,dynamodb:customers", "--since", "v1",
                 "--until", "8"},
                {"PATH=/usr/bin:/bin"}, dir_);
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.Json()["commits"], 6);
  EXPECT_EQ(r.Json()["detailed_objects"], 2);
  d = PageData(ReadFile(fs::path(dir_) / "strata-report.html"));
  EXPECT_EQ(d["commits"]["seq"], nlohmann::json({3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(d["until"], 8);
  EXPECT_EQ(d["deployments"]["seq"], nlohmann::json({5, 8})) << "none after --until";
  // Targets as they stood at seq 8: staging-ddb was first deployed at seq 9.
  EXPECT_EQ(d["cursors"], nlohmann::json::parse(R"([{"target": "prod-ddb", "seq": 3,
      "deployment_seq": 8, "outcome": "failed"}])"));
  EXPECT_EQ(d["tags"], nlohmann::json::array()) << "v1 was tagged at seq 10";
}

TEST_F(ReportTest, BadFlagsAreUsageErrorsAndWriteNothing) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--bogus"}, {"--max-commits", "many"}, {"--objects", ","}, {"extra"}}) {
    StrataRun r = Report(args);
    EXPECT_EQ(r.code, 2) << args[0] << "\n" << r;
    EXPECT_NE(r.err.find("strata report"), std::string::npos) << r;
  }
  EXPECT_EQ(StrayFiles(), std::vector<std::string>{});
}

TEST_F(ReportTest, BadRefsAndPlacesFailAndWriteNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--until", "99"}, "99"},
           {{"--since", "nosuchtag"}, "nosuchtag"},
           {{"--since", "9", "--until", "3"}, "--since is seq 9, after --until (seq 3)"},
           {{"--objects", "nosuchtable"}, "no object nosuchtable in the log up to seq 10"},
           {{"--out", "no/such/dir/r.html"}, "no directory"},
           {{"--out", "schema"}, "is a directory"}}) {
    StrataRun r = Report(c.args);
    EXPECT_EQ(r.code, 1) << c.args[0] << "\n" << r;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(StrayFiles(), std::vector<std::string>{});
}

TEST(ReportRenameTest, ARenamedTableKeepsItsHistoryFromItsFormerName) {
  strata::testing::TempDir tmp;
  const std::string dir = (fs::path(tmp.path()) / "renames").string();
  const std::string table =
      R"pb(events {
             postgres {
               create_table {
                 table {
                   schema: "app"
                   name: "accounts"
                   columns { name: "id" type: "integer" identity: PG_IDENTITY_NONE }
                 }
               }
             }
           })pb";
  const std::string rename =
      R"pb(events {
             postgres {
               rename {
                 target { kind: PG_OBJECT_TABLE schema: "app" name: "accounts" }
                 new_name: "customers"
               }
             }
           })pb";
  const std::string column =
      R"pb(events {
             postgres {
               add_column {
                 schema: "app"
                 table: "customers"
                 column { name: "email" type: "text" identity: PG_IDENTITY_NONE }
               }
             }
           })pb";
  ASSERT_EQ(
      testing::WriteReportHistory(
          dir, {},
          {{"postgres", pb::ORIGIN_MIGRATE, "alice", "accounts",
            R"pb(events { postgres { create_schema { schema { name: "app" } } } })pb" + table},
           {"postgres", pb::ORIGIN_MIGRATE, "bob", "accounts are customers", rename},
           {"postgres", pb::ORIGIN_MIGRATE, "carol", "customers have email", column}}),
      "");
  StrataRun r = RunStrata({"report"}, {"PATH=/usr/bin:/bin", "NO_COLOR=1"}, dir);
  ASSERT_EQ(r.code, 0) << r;
  const nlohmann::json d = PageData(ReadFile(fs::path(dir) / "strata-report.html"));
  const auto& o = d["objects"];
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < o["name"].size(); ++i) at[o["name"][i]] = i;
  ASSERT_TRUE(at.count("app.accounts") && at.count("app.customers")) << o["name"];
  EXPECT_EQ(o["fate"][at["app.accounts"]], 2) << "renamed";
  EXPECT_EQ(o["fate"][at["app.customers"]], 0) << "exists";
  // customers' life starts when it was created as accounts.
  const auto& versions = d["details"][o["detail"][at["app.customers"]].get<size_t>()]["versions"];
  ASSERT_EQ(versions.size(), 3u) << versions;
  EXPECT_EQ(versions[0]["seq"], 1);
  EXPECT_NE(versions[0]["edit"].dump().find("app.accounts"), std::string::npos) << versions[0];
  EXPECT_NE(versions[1]["edit"].dump().find("app.customers"), std::string::npos) << versions[1];
  EXPECT_NE(versions[2]["edit"].dump().find("email"), std::string::npos) << versions[2];
  EXPECT_EQ(versions[2]["gone"], false);
  // ... and accounts' ends with the rename.
  const auto& old = d["details"][o["detail"][at["app.accounts"]].get<size_t>()]["versions"];
  EXPECT_EQ(old.back()["seq"], 2);
  EXPECT_EQ(old.back()["gone"], true);
}

TEST_F(ReportTest, AnEmptyLogIsAnError) {
  const std::string empty = (fs::path(tmp_.path()) / "empty").string();
  fs::create_directories(empty);
  std::ofstream(fs::path(empty) / "strata.yaml") << "version: 1\nlog: .strata\nschemas: {}\n";
  StrataRun r = RunStrata({"report"}, {"PATH=/usr/bin:/bin", "NO_COLOR=1"}, empty);
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err, "strata: error: the log is empty\n");
  EXPECT_FALSE(fs::exists(fs::path(empty) / "strata-report.html"));
}

TEST_F(ReportTest, AFailedRunLeavesAnEarlierReportAsItWas) {
  std::ofstream(fs::path(dir_) / "r.html") << "earlier";
  EXPECT_EQ(Report({"--out", "r.html", "--until", "99"}).code, 1);
  EXPECT_EQ(ReadFile(fs::path(dir_) / "r.html"), "earlier");
  EXPECT_EQ(Report({"--out", "r.html"}).code, 0);
  EXPECT_EQ(ReadFile(fs::path(dir_) / "r.html").rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(StrayFiles(), std::vector<std::string>{"r.html"});
}

TEST_F(ReportTest, HelpListsEveryFlag) {
  StrataRun r = Report({"--help"});
  ASSERT_EQ(r.code, 0) << r;
  for (const char* flag :
       {"--out", "--since", "--until", "--max-commits", "--objects", "--max-objects"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << "\n" << r.out;
  }
}

}  // namespace
}  // namespace strata
