// The CI recipes in docs/ci.md: both pipelines parse, hold the jobs the page promises with their
// triggers, and every strata command in them is one strata accepts, with flags its parser takes
// (the table --help is printed from, cli/help.h).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/help.h"

namespace strata::cli {
namespace {

std::string ReadDoc() {
  std::ifstream in(std::string(STRATA_EXAMPLES_DIR) + "/../docs/ci.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The ```yaml blocks of the page, in order.
std::vector<std::string> YamlBlocks(const std::string& doc) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = doc.find("```yaml\n", at)) != std::string::npos) {
    at += 8;
    const size_t end = doc.find("\n```", at);
    if (end == std::string::npos) break;
    out.push_back(doc.substr(at, end - at + 1));
    at = end + 4;
  }
  return out;
}

// Every string scalar of a document.
void Scalars(const YAML::Node& node, std::vector<std::string>* out) {
  if (node.IsScalar()) out->push_back(node.as<std::string>());
  if (node.IsSequence()) {
    for (const auto& item : node) Scalars(item, out);
  }
  if (node.IsMap()) {
    for (const auto& kv : node) Scalars(kv.second, out);
  }
}

// Shell words after each "strata " in `script`, up to the end of the command (;, |, &, newline).
std::vector<std::vector<std::string>> StrataCommands(const std::string& script) {
  std::vector<std::vector<std::string>> out;
  size_t at = 0;
  while ((at = script.find("strata ", at)) != std::string::npos) {
    const bool starts =
        at == 0 || std::string(" \t\n;&|(").find(script[at - 1]) != std::string::npos;
    at += 7;
    if (!starts) continue;
    std::vector<std::string> words;
    std::string word;
    bool quoted = false, any = false;
    for (; at < script.size(); ++at) {
      const char ch = script[at];
      if (ch == '"') {
        quoted = !quoted;
        any = true;
        continue;
      }
      if (!quoted && (ch == '\n' || ch == ';' || ch == '|' || ch == '&')) break;
      if (!quoted && (ch == ' ' || ch == '\t')) {
        if (any) words.push_back(word);
        word.clear();
        any = false;
        continue;
      }
      word += ch;
      any = true;
    }
    if (any) words.push_back(word);
    out.push_back(words);
  }
  return out;
}

std::set<std::string> FlagsOf(const CommandHelp& c) {
  std::set<std::string> flags = {"--json", "--no-color", "--project", "--help"};
  if (c.flags == nullptr) return flags;
  const CommandFlags spec = c.flags();
  for (const auto& o : spec.options.options()) {
    flags.insert("--" + o->long_name());
    const std::string shown =
        o->canonical_display_name(boost::program_options::command_line_style::allow_dash_for_short);
    if (shown.size() == 2) flags.insert(shown);
  }
  return flags;
}

// Each command's words checked against the help table; returns how many were checked.
int CheckCommands(const std::string& where, const std::vector<std::string>& scripts) {
  int checked = 0;
  for (const std::string& script : scripts) {
    for (const auto& words : StrataCommands(script)) {
      if (words.empty()) {
        ADD_FAILURE() << where << ": strata without a command in " << script;
        continue;
      }
      std::string name = words[0];
      size_t first_arg = 1;
      if (words.size() > 1 && FindCommandHelp(name + " " + words[1]) != nullptr) {
        name += " " + words[1];
        first_arg = 2;
      }
      const CommandHelp* c = FindCommandHelp(name);
      EXPECT_NE(c, nullptr) << where << ": strata " << name << " is no strata command";
      if (c == nullptr) continue;
      const std::set<std::string> flags = FlagsOf(*c);
      for (size_t i = first_arg; i < words.size(); ++i) {
        if (words[i].empty() || words[i][0] != '-') continue;
        const std::string flag = words[i].substr(0, words[i].find('='));
        EXPECT_TRUE(flags.count(flag)) << where << ": strata " << name << " takes no " << flag;
      }
      ++checked;
    }
  }
  return checked;
}

std::string Joined(const YAML::Node& node) {
  std::vector<std::string> scalars;
  Scalars(node, &scalars);
  std::string all;
  for (const auto& s : scalars) all += s + "\n";
  return all;
}

class CiRecipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = ReadDoc();
    ASSERT_FALSE(doc_.empty()) << "docs/ci.md is missing";
    for (const std::string& block : YamlBlocks(doc_)) {
      try {
        nodes_.push_back(YAML::Load(block));
      } catch (const YAML::Exception& e) {
        FAIL() << "a YAML block of docs/ci.md does not parse: " << e.what() << "\n" << block;
      }
    }
  }
  const YAML::Node* Find(const std::function<bool(const YAML::Node&)>& is) {
    for (const auto& n : nodes_) {
      if (is(n)) return &n;
    }
    return nullptr;
  }

  std::string doc_;
  std::vector<YAML::Node> nodes_;
};

TEST_F(CiRecipeTest, GitHubActionsPlansOnPullRequestsAppliesOnMainAndChecksDriftNightly) {
  const YAML::Node* wf = Find([](const YAML::Node& n) { return n.IsMap() && n["jobs"]; });
  ASSERT_NE(wf, nullptr) << "no GitHub workflow (a document with jobs:) in docs/ci.md";
  const YAML::Node on = (*wf)["on"];
  ASSERT_TRUE(on.IsMap());
  EXPECT_TRUE(on["pull_request"]);
  ASSERT_TRUE(on["push"]);
  EXPECT_EQ(on["push"]["branches"][0].as<std::string>(), "main");
  ASSERT_TRUE(on["schedule"]);
  EXPECT_FALSE(on["schedule"][0]["cron"].as<std::string>().empty());

  const YAML::Node jobs = (*wf)["jobs"];
  const std::string check = Joined(jobs["check"]);
  EXPECT_NE(jobs["check"]["if"].as<std::string>().find("pull_request"), std::string::npos);
  EXPECT_NE(check.find("strata plan"), std::string::npos);
  EXPECT_NE(check.find("--detailed-exitcode"), std::string::npos);
  EXPECT_NE(check.find("strata verify --require-signed"), std::string::npos);
  const std::string apply = Joined(jobs["apply"]);
  EXPECT_NE(jobs["apply"]["if"].as<std::string>().find("refs/heads/main"), std::string::npos);
  EXPECT_NE(apply.find("strata apply"), std::string::npos);
  EXPECT_NE(apply.find("--auto-approve"), std::string::npos);
  EXPECT_NE(Joined(jobs["drift"]).find("strata drift"), std::string::npos);
  EXPECT_NE(jobs["drift"]["if"].as<std::string>().find("schedule"), std::string::npos);

  EXPECT_GE(CheckCommands("GitHub workflow", {check, apply, Joined(jobs["drift"])}), 9);
}

TEST_F(CiRecipeTest, GitLabCiHasTheSameJobsWithTheirRules) {
  const YAML::Node* ci = Find([](const YAML::Node& n) { return n.IsMap() && n["stages"]; });
  ASSERT_NE(ci, nullptr) << "no .gitlab-ci.yml (a document with stages:) in docs/ci.md";
  auto rule = [&](const char* job) { return (*ci)[job]["rules"][0]["if"].as<std::string>(); };
  EXPECT_NE(rule("check").find("merge_request_event"), std::string::npos);
  EXPECT_NE(rule("apply").find("CI_DEFAULT_BRANCH"), std::string::npos);
  EXPECT_NE(rule("drift").find("schedule"), std::string::npos);
  const std::string check = Joined((*ci)["check"]["script"]);
  EXPECT_NE(check.find("strata plan --target staging --detailed-exitcode"), std::string::npos);
  EXPECT_NE(check.find("strata verify --require-signed"), std::string::npos);
  const std::string apply = Joined((*ci)["apply"]["script"]);
  const std::string drift = Joined((*ci)["drift"]["script"]);
  EXPECT_NE(drift.find("strata drift"), std::string::npos);
  EXPECT_GE(CheckCommands(".gitlab-ci.yml", {check, apply, drift}), 8);
}

TEST_F(CiRecipeTest, TheCheckerItselfRefusesAnUnknownCommandAndFlag) {
  EXPECT_NONFATAL_FAILURE(CheckCommands("t", {"strata plann --target x"}), "no strata command");
  EXPECT_NONFATAL_FAILURE(CheckCommands("t", {"strata plan --detailed"}), "takes no --detailed");
  EXPECT_NONFATAL_FAILURE(CheckCommands("t", {"x && strata migrate run --all"}), "takes no --all");
  EXPECT_EQ(CheckCommands("t", {"strata migrate validate --all; strata verify"}), 2);
}

}  // namespace
}  // namespace strata::cli
