// The team workflow on a shared log, run by the real binary against any store: a project's local
// history moved to the store with `strata log push`, then two checkouts (two directories, two
// mirrors) recording at once (tags, and the same generate), and every history command agreeing. The S3 and DynamoDB suites
// run it on moto (the PostgreSQL suite has its own, tests/integration/postgres/).
//
// The test binary must define STRATA_SOURCE_DIR and STRATA_BINARY.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {

class TeamWorkflow {
 public:
  // `env`: the whole environment of a strata process that reaches the store.
  explicit TeamWorkflow(std::vector<std::string> env) : env_(std::move(env)) {}

  // A checkout of the demo project's schema with `log:` set to `log`.
  void MakeCheckout(const TempDir& dir, const std::string& log) const {
    namespace fs = std::filesystem;
    fs::copy(fs::path(STRATA_SOURCE_DIR) / "examples/shop/schema", fs::path(dir.path()) / "schema",
             fs::copy_options::recursive);
    std::ofstream(fs::path(dir.path()) / "strata.yaml")
        << "version: 1\nlog: " << log << "\nschemas:\n  dynamodb: schema/dynamodb\n";
  }
  void AddTable(const TempDir& dir, const std::string& name) const {
    std::ofstream(std::filesystem::path(dir.path()) / "schema/dynamodb" / (name + ".yaml"))
        << "table: " << name << "\npartition_key: { name: id, type: S }\nbilling: pay_per_request\n";
  }
  StrataRun In(const TempDir& dir, std::vector<std::string> args) const {
    return RunStrata(args, env_, dir.path());
  }
  // "seq hash" of each commit `log --json` lists.
  std::vector<std::string> History(const TempDir& dir) const {
    std::vector<std::string> out;
    StrataRun log = In(dir, {"--json", "log"});
    EXPECT_EQ(log.code, 0) << log;
    if (log.code != 0) return out;
    const nlohmann::json json = log.Json();  // kept: the loop walks into it
    for (const auto& c : json["commits"]) {
      out.push_back(std::to_string(c["seq"].get<int>()) + " " + c["hash"].get<std::string>());
    }
    return out;
  }

  // The whole workflow on the empty store `url`.
  void Run(const std::string& url) const {
    // A project that began with a local log: two commits and a tag.
    TempDir a;
    MakeCheckout(a, ".strata");
    ASSERT_EQ(In(a, {"generate", "-m", "shop tables"}).code, 0);
    ASSERT_EQ(In(a, {"tag", "v1"}).code, 0);
    AddTable(a, "invoices");
    ASSERT_EQ(In(a, {"generate", "-m", "invoices"}).code, 0);
    const std::vector<std::string> local = History(a);
    ASSERT_EQ(local.size(), 3u);
    const std::string show_before = In(a, {"--json", "show", "--at", "v1"}).out;

    // One command moves it to the store and switches strata.yaml.
    StrataRun push = In(a, {"log", "push", url});
    ASSERT_EQ(push.code, 0) << push;
    EXPECT_NE(push.out.find("Copied 3 of 3 commits"), std::string::npos) << push;
    std::ifstream yaml(std::filesystem::path(a.path()) / "strata.yaml");
    const std::string text((std::istreambuf_iterator<char>(yaml)), {});
    EXPECT_NE(text.find("\nlog: " + url + "\n"), std::string::npos) << text;
    EXPECT_EQ(History(a), local);
    EXPECT_EQ(nlohmann::json::parse(In(a, {"--json", "show", "--at", "v1"}).out),
              nlohmann::json::parse(show_before));

    // A second checkout of the project reads the same history from the store.
    TempDir b;
    MakeCheckout(b, url);
    AddTable(b, "invoices");
    EXPECT_EQ(History(b), local);

    // Both record at once: tags, and the same change to the files (as two people with the same
    // git commit checked out would): one of them records it, the other finds it recorded.
    constexpr int kEach = 4;
    std::vector<StrataRun> runs(2 * kEach + 2);
    AddTable(a, "refunds");
    AddTable(b, "refunds");
    std::thread ta([&] {
      for (int i = 0; i < kEach; ++i) runs[i] = In(a, {"tag", fmt::format("a{}", i)});
      runs[2 * kEach] = In(a, {"generate", "-m", "refunds"});
    });
    std::thread tb([&] {
      for (int i = 0; i < kEach; ++i) runs[kEach + i] = In(b, {"tag", fmt::format("b{}", i)});
      runs[2 * kEach + 1] = In(b, {"generate", "-m", "refunds"});
    });
    ta.join();
    tb.join();
    for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].code, 0) << "run " << i << ": " << runs[i];

    // One history, verified, the same from both checkouts: 3 + 8 tags + 1 generate.
    for (const TempDir* d : {&a, &b}) {
      StrataRun verify = In(*d, {"--json", "verify"});
      ASSERT_EQ(verify.code, 0) << verify;
      EXPECT_EQ(verify.Json()["commits"], 3 + 2 * kEach + 1) << verify;
      StrataRun tags = In(*d, {"--json", "log", "--origin", "tag"});
      ASSERT_EQ(tags.code, 0) << tags;
      EXPECT_EQ(tags.Json()["commits"].size(), 1u + 2 * kEach);
    }
    EXPECT_EQ(History(a), History(b));
    for (const char* table : {"refunds", "invoices", "orders"}) {
      StrataRun show = In(b, {"show", table});
      EXPECT_EQ(show.code, 0) << show;
    }
  }

 private:
  std::vector<std::string> env_;
};

}  // namespace strata::testing
