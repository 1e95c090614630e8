// A project and a Glue catalog for tests of the strata binary's Glue commands.
//
// The catalog is the "moto" fixture's (signatures checked, so strata gets the fixture user's
// keys) behind a fault proxy of the test's own in Glue mode (tests/support/fault_proxy.py):
// listings come in pages and UpdateTable honours VersionId, as Glue does and moto does not.
// All tests share one moto and every test sees every database: each fixture gives its
// databases a prefix of its own (D("sales") is "g<pid>_<n>_sales"), looks only at those, and
// deletes them when it ends. The project has one schema source, "athena" (engine glue, at
// schema/athena), and one target, "local", at the proxy; the test's own Glue calls (Must,
// Call, AwsCli) go through the proxy too, as changes made behind strata's back would.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/aws/http.h"
#include "adapters/aws/session.h"
#include "adapters/common/process_runner.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {

// tests/support/fault_proxy.py in Glue mode in front of the fixture's moto. Stopped with the
// test.
class GlueProxy {
 public:
  explicit GlueProxy(int page_size)
      : server_("fault_proxy.py", {"--upstream", MotoEndpoint(), "--glue", "--page-size",
                                   std::to_string(page_size)}) {}
  std::string url() const { return server_.url(); }

  // The proxy's Glue state: {"page_size", "holding", "held", "versions"}.
  nlohmann::json State() const { return Send("GET", ""); }
  // The next `operation` request waits `seconds` before it is checked and forwarded.
  void Hold(const std::string& operation, double seconds) const {
    Send("POST", nlohmann::json{{"hold", {{"operation", operation}, {"seconds", seconds}}}}.dump());
  }
  // Requests counted so far ({"requests": N, ...}).
  nlohmann::json Stats() const {
    auto http = aws::NewCurlHttpClient(aws::HttpOptions{});
    if (!http.ok()) return nullptr;
    aws::HttpRequest request;
    request.url = url() + "/__fault/stats";
    auto response = (*http)->Send(request, nullptr);
    if (!response.ok()) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

 private:
  nlohmann::json Send(const std::string& method, const std::string& body) const {
    auto http = aws::NewCurlHttpClient(aws::HttpOptions{});
    if (!http.ok()) return nullptr;
    aws::HttpRequest request;
    request.method = method;
    request.url = url() + "/__fault/glue";
    request.body = body;
    auto response = (*http)->Send(request, nullptr);
    if (!response.ok()) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  LocalServer server_;
};

class GlueCliTest : public ::testing::Test {
 protected:
  explicit GlueCliTest(int page_size = 100)
      : proxy_(page_size), endpoint_(proxy_.url()), keys_(LoadMotoIdentity()) {
    static std::atomic<int> counter{0};
    prefix_ = "g" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_";
    WriteFile("strata.yaml",
              "version: 1\n"
              "schemas:\n"
              "  athena: { engine: glue, path: schema/athena }\n"
              "targets:\n"
              "  local: { engine: glue, region: us-east-1, endpoint: \"" +
                  endpoint_ + "\" }\n");
    std::filesystem::create_directories(work_ / "schema/athena");
    aws::SessionOptions o;
    o.getenv = [keys = keys_](const std::string& name) -> std::optional<std::string> {
      if (name == "AWS_ACCESS_KEY_ID") return keys.access_key_id;
      if (name == "AWS_SECRET_ACCESS_KEY") return keys.secret_access_key;
      return std::nullopt;
    };
    o.home_dir = "/nonexistent/strata-test";
    o.region = "us-east-1";
    o.endpoint_url = endpoint_;
    auto session = aws::Session::Open(o);
    if (!session.ok()) {
      ADD_FAILURE() << session.status().ToString();
      return;
    }
    session_ = std::move(session).value();
    auto glue = session_->Json("glue");
    if (!glue.ok()) {
      ADD_FAILURE() << glue.status().ToString();
      return;
    }
    glue_ = std::move(glue).value();
  }

  ~GlueCliTest() override {
    for (const auto& db : LiveDatabases()) {
      auto tables = Call("GetTables", {{"DatabaseName", db}});
      // Tables first: moto keeps a deleted database's tables for a database made again.
      while (tables.ok()) {
        for (const auto& t : (*tables)["TableList"]) {
          (void)Call("DeleteTable", {{"DatabaseName", db}, {"Name", t["Name"]}});
        }
        if (!tables->contains("NextToken")) break;
        tables = Call("GetTables", {{"DatabaseName", db}, {"NextToken", (*tables)["NextToken"]}});
      }
      (void)Call("DeleteDatabase", {{"Name", db}});
    }
  }

  // This test's name for a database.
  std::string D(const std::string& name) const { return prefix_ + name; }

  // The environment users would have: credentials, no AWS config files, no terminal colours.
  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin",
            "NO_COLOR=1",
            "HOME=" + work_.path(),
            "AWS_ACCESS_KEY_ID=" + keys_.access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + keys_.secret_access_key,
            "STRATA_ACTOR_NAME=alice",
            "STRATA_ACTOR_EMAIL=alice@example.com"};
  }

  StrataRun Strata(const std::vector<std::string>& args) const {
    return RunStrata(args, Environment(), work_.path());
  }

  // A Glue call that must succeed; the output document (null after a test failure).
  nlohmann::json Must(const std::string& operation, const nlohmann::json& input) {
    auto r = Call(operation, input);
    if (!r.ok()) {
      ADD_FAILURE() << operation << ": " << r.status().ToString();
      return nlohmann::json();
    }
    return *r;
  }
  Result<nlohmann::json> Call(const std::string& operation, const nlohmann::json& input,
                              aws::ServiceError* error = nullptr) {
    if (!glue_) return Status::Internal("no Glue client");
    return glue_->Call(operation, input, error);
  }

  // GetTable's Table object (null when the table does not exist).
  nlohmann::json Table(const std::string& db, const std::string& table) {
    aws::ServiceError error;
    auto r = Call("GetTable", {{"DatabaseName", db}, {"Name", table}}, &error);
    if (r.ok()) return (*r)["Table"];
    EXPECT_EQ(error.code, "EntityNotFoundException") << r.status().ToString();
    return nlohmann::json();
  }

  // The column names of a table, in order.
  std::vector<std::string> Columns(const nlohmann::json& table) {
    std::vector<std::string> names;
    for (const auto& c : table["StorageDescriptor"]["Columns"]) {
      names.push_back(c["Name"].get<std::string>() + " " + c["Type"].get<std::string>());
    }
    return names;
  }

  // This test's live databases (every page).
  std::vector<std::string> LiveDatabases() {
    std::vector<std::string> names;
    if (!glue_) return names;
    nlohmann::json input = nlohmann::json::object();
    while (true) {
      auto r = glue_->Call("GetDatabases", input, nullptr);
      if (!r.ok()) break;
      for (const auto& d : (*r)["DatabaseList"]) {
        const std::string name = d["Name"];
        if (name.rfind(prefix_, 0) == 0) names.push_back(name);
      }
      if (!r->contains("NextToken")) break;
      input["NextToken"] = (*r)["NextToken"];
    }
    return names;
  }

  // The AWS CLI, as a user changing the catalog behind strata's back would run it (through
  // the proxy, so that its version counting sees the change).
  int AwsCli(const std::vector<std::string>& args, std::string* output = nullptr) {
    common::ProcessRequest req;
    req.argv = {"/bin/bash", std::string(STRATA_SOURCE_DIR) + "/tests/support/aws_cli.sh",
                "--endpoint-url", endpoint_, "--region", "us-east-1", "--output", "json"};
    req.argv.insert(req.argv.end(), args.begin(), args.end());
    req.environment = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + work_.path(),
                       "AWS_ACCESS_KEY_ID=" + keys_.access_key_id,
                       "AWS_SECRET_ACCESS_KEY=" + keys_.secret_access_key,
                       "XDG_CACHE_HOME=" + CacheHome()};
    req.working_dir = work_.path();
    auto r = common::NewPosixProcessRunner()->Run(req);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      return -1;
    }
    EXPECT_EQ(r->exit_code, 0) << r->output << r->errors;
    if (output != nullptr) *output = r->output;
    return r->exit_code;
  }
  static std::string CacheHome() {
    if (const char* x = std::getenv("XDG_CACHE_HOME")) return x;
    return std::string(std::getenv("HOME") ? std::getenv("HOME") : "/root") + "/.cache";
  }

  void WriteFile(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = work_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string ReadFile(const std::string& relative) const {
    std::ifstream in(work_ / relative, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // schema/athena/<db>/<table>.sql
  void WriteTable(const std::string& db, const std::string& table, const std::string& ddl) {
    WriteFile("schema/athena/" + db + "/" + table + ".sql", ddl);
  }

  GlueProxy proxy_;
  std::string endpoint_;
  MotoIdentity keys_;
  TempDir work_;
  std::string prefix_;
  std::unique_ptr<aws::Session> session_;
  std::unique_ptr<aws::JsonService> glue_;
};

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace strata::testing
