// An S3 log on the moto server of the "moto" fixture, reached through a fault proxy of the
// test's own (tests/support/fault_proxy.py): by default with --serialize, one request in flight
// at a time, because moto checks If-None-Match and then writes with no lock between the two (two
// writers racing for one key can both win; real S3 decides atomically). Each S3LogPlace has a
// bucket of its own, so tests never see each other's objects.
//
// The test binary must define STRATA_TEST_MOTO_DIR and STRATA_TEST_SUPPORT_DIR.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "adapters/aws/s3_log_store.h"
#include "adapters/aws/session.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"

namespace strata::testing {

// A bucket name no other test (or earlier run against the same server) uses.
inline std::string UniqueBucket() {
  static std::atomic<int> counter{0};
  return "strata-log-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

class S3LogPlace {
 public:
  // `proxy_args` are the fault proxy's options beyond --upstream.
  explicit S3LogPlace(std::vector<std::string> proxy_args = {"--serialize"},
                      std::string prefix = "team/prod")
      : identity_(LoadMotoIdentity()),
        proxy_("fault_proxy.py", WithUpstream(std::move(proxy_args))),
        bucket_(UniqueBucket()),
        prefix_(std::move(prefix)) {
    auto created = Client()->CreateBucket();
    EXPECT_TRUE(created.ok()) << created.ToString();
  }

  // An S3 client of the bucket, through the proxy.
  std::shared_ptr<const aws::S3Client> Client() const {
    aws::SessionOptions o = MotoSessionOptions(identity_);
    o.endpoint_url = proxy_.url();
    auto session = aws::Session::Open(o);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    if (!session.ok()) return nullptr;
    return std::make_shared<const aws::S3Client>((*session)->Client("s3"), bucket_);
  }
  // A store on the log, as a separate writer would hold it (no cache shared with others).
  std::unique_ptr<aws::S3LogStore> Open() const {
    aws::S3LogStoreOptions o;
    o.client = Client();
    o.prefix = prefix_;
    o.sleep = [](std::chrono::milliseconds) {};
    return std::make_unique<aws::S3LogStore>(std::move(o));
  }

  // The log's URL as strata.yaml names it, through the proxy.
  std::string Url() const {
    return "s3://" + bucket_ + "/" + prefix_ + "?region=us-east-1&endpoint=" + proxy_.url();
  }
  // The environment a strata process needs to reach moto with the test user's keys.
  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin",
            "NO_COLOR=1",
            "HOME=/nonexistent/strata-test",
            "AWS_EC2_METADATA_DISABLED=true",
            "AWS_CONFIG_FILE=/nonexistent/strata-test/config",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/strata-test/credentials",
            "AWS_ACCESS_KEY_ID=" + identity_.access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + identity_.secret_access_key};
  }

  // The keys under PREFIX/`under` (e.g. "log/"), all pages.
  std::vector<std::string> Keys(const std::string& under) const {
    std::vector<std::string> out;
    auto client = Client();
    aws::S3ListRequest request;
    request.prefix = prefix_ + "/" + under;
    for (;;) {
      auto page = client->ListObjectsV2(request);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return out;
      out.insert(out.end(), page->keys.begin(), page->keys.end());
      if (page->next_continuation_token.empty()) return out;
      request.continuation_token = page->next_continuation_token;
    }
  }

  // Scripts the proxy's next faults ("lose-reply@PUT,503").
  void Faults(const std::string& list) const { Control("POST", "/__fault/script", list); }
  nlohmann::json Stats() const {
    return nlohmann::json::parse(Control("GET", "/__fault/stats", ""), nullptr, false);
  }

  const std::string& bucket() const { return bucket_; }
  const std::string& prefix() const { return prefix_; }
  std::string proxy_url() const { return proxy_.url(); }

 private:
  static std::vector<std::string> WithUpstream(std::vector<std::string> args) {
    args.insert(args.begin(), {"--upstream", MotoEndpoint()});
    return args;
  }
  std::string Control(const std::string& method, const std::string& path,
                      const std::string& body) const {
    auto http = aws::NewCurlHttpClient(aws::HttpOptions{});
    if (!http.ok()) {
      ADD_FAILURE() << http.status().ToString();
      return "";
    }
    aws::HttpRequest request;
    request.method = method;
    request.url = proxy_.url() + path;
    request.body = body;
    auto r = (*http)->Send(request, nullptr);
    EXPECT_TRUE(r.ok() && r->status == 200) << method << " " << path;
    return r.ok() ? r->body : "";
  }

  MotoIdentity identity_;
  LocalServer proxy_;
  std::string bucket_;
  std::string prefix_;
};

}  // namespace strata::testing
