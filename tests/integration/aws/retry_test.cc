// Retries against a real server: moto behind tests/support/fault_proxy.py, which answers the
// first requests with scripted faults. Real backoff applies (a second or two per test).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/aws/http.h"
#include "adapters/aws/session.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"

namespace strata::aws {
namespace {

using testing::LocalServer;

// A fault proxy in front of the fixture's moto that answers the first requests with `faults`.
std::vector<std::string> Faults(const std::string& faults = "") {
  return {"--upstream", testing::MotoEndpoint(), "--faults", faults};
}

nlohmann::json ProxyStats(const std::string& url) {
  auto http = NewCurlHttpClient(HttpOptions{});
  HttpRequest request;
  request.url = url + "/__fault/stats";
  auto response = (*http)->Send(request, nullptr);
  if (!response.ok()) return {};
  return nlohmann::json::parse(response->body, nullptr, false);
}

std::unique_ptr<Session> SessionVia(const std::string& endpoint, HttpOptions http = {}) {
  auto options = testing::MotoSessionOptions(testing::LoadMotoIdentity());
  options.endpoint_url = endpoint;
  options.http = http;
  auto session = Session::Open(options);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return session.ok() ? std::move(*session) : nullptr;
}

TEST(RetryMotoTest, Two503sThenSuccess) {
  LocalServer proxy("fault_proxy.py", Faults("503,503"));
  auto session = SessionVia(proxy.url());
  ASSERT_NE(session, nullptr);
  auto glue = *session->Json("glue");
  auto got = glue->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->contains("DatabaseList")) << got->dump();
  auto stats = ProxyStats(proxy.url());
  EXPECT_EQ(stats["requests"], 3);
  EXPECT_EQ(stats["faults"], 2);
}

TEST(RetryMotoTest, ThrottlingExhaustedSaysHowManyAttempts) {
  LocalServer proxy("fault_proxy.py", Faults("throttle,throttle,throttle,throttle"));
  auto session = SessionVia(proxy.url());
  ASSERT_NE(session, nullptr);
  ServiceError error;
  auto got = (*session->Json("dynamodb"))->Call("ListTables", nlohmann::json::object(), &error);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kUnavailable);
  EXPECT_EQ(got.status().message(),
            "dynamodb ListTables: ThrottlingException: Rate exceeded (gave up after 3 attempts)");
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_EQ(ProxyStats(proxy.url())["requests"], 3);
}

TEST(RetryMotoTest, DroppedConnectionIsRetried) {
  LocalServer proxy("fault_proxy.py", Faults("drop"));
  auto session = SessionVia(proxy.url());
  ASSERT_NE(session, nullptr);
  auto got = (*session->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ProxyStats(proxy.url())["requests"], 2);
}

TEST(RetryMotoTest, SlowAnswerTimesOutThenRetriesOrSaysSo) {
  {
    LocalServer proxy("fault_proxy.py", Faults("stall"));
    HttpOptions http;
    http.request_timeout = std::chrono::milliseconds(500);
    auto session = SessionVia(proxy.url(), http);
    ASSERT_NE(session, nullptr);
    auto got = (*session->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(ProxyStats(proxy.url())["requests"], 2);
  }
  LocalServer proxy("fault_proxy.py", Faults("stall"));
  auto options = testing::MotoSessionOptions(testing::LoadMotoIdentity());
  options.endpoint_url = proxy.url();
  options.http.request_timeout = std::chrono::milliseconds(300);
  options.max_attempts = 1;
  auto session = Session::Open(options);
  ASSERT_TRUE(session.ok());
  auto got = (*(*session)->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kUnavailable);
  EXPECT_EQ(got.status().message(), "cannot reach " + proxy.url() +
                                        " (glue): Timeout was reached; is the endpoint right and "
                                        "the server running?");
}

TEST(RetryMotoTest, UnreachableEndpointSaysSoAndWhatToCheck) {
  auto options = testing::MotoSessionOptions(testing::LoadMotoIdentity());
  options.endpoint_url = "http://127.0.0.1:1";
  options.max_attempts = 1;
  auto session = Session::Open(options);
  ASSERT_TRUE(session.ok());
  ServiceError error;
  auto got = (*(*session)->Json("dynamodb"))->Call("ListTables", nlohmann::json::object(), &error);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kUnavailable);
  EXPECT_EQ(got.status().message(),
            "cannot reach http://127.0.0.1:1 (dynamodb): Couldn't connect to server; is the "
            "endpoint right and the server running?");
  EXPECT_EQ(error.http_status, 0);
}

TEST(RetryMotoTest, UnreachableEndpointIsRetriedThenGivenUp) {
  auto options = testing::MotoSessionOptions(testing::LoadMotoIdentity());
  options.endpoint_url = "http://127.0.0.1:1";
  auto session = Session::Open(options);
  ASSERT_TRUE(session.ok());
  auto got = (*(*session)->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("(gave up after 3 attempts)"), std::string::npos)
      << got.status().message();
}

TEST(HttpProxyMotoTest, RequestsGoThroughTheConfiguredProxyUnlessNoProxyMatches) {
  LocalServer proxy("fault_proxy.py", Faults());
  HttpOptions http;
  http.http_proxy = proxy.url();
  // The endpoint itself is unreachable: only the proxy can answer for it.
  auto session = SessionVia("http://127.0.0.1:1", http);
  ASSERT_NE(session, nullptr);
  auto got = (*session->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ProxyStats(proxy.url())["requests"], 1);

  http.no_proxy = "127.0.0.1";
  auto direct = SessionVia("http://127.0.0.1:1", http);
  ASSERT_NE(direct, nullptr);
  auto refused = (*direct->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(ProxyStats(proxy.url())["requests"], 1);
}

TEST(HttpKeepAliveMotoTest, ConsecutiveCallsReuseOneConnection) {
  LocalServer proxy("fault_proxy.py", Faults());
  auto session = SessionVia(proxy.url());
  ASSERT_NE(session, nullptr);
  auto glue = *session->Json("glue");
  auto before = ProxyStats(proxy.url());
  for (int i = 0; i < 5; ++i) {
    auto got = glue->Call("GetDatabases", nlohmann::json::object(), nullptr);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
  }
  auto after = ProxyStats(proxy.url());
  EXPECT_EQ(after["requests"], 5);
  // One connection for the five calls, one for the second stats request.
  EXPECT_EQ(after["connections"].get<int>() - before["connections"].get<int>(), 2);
}

}  // namespace
}  // namespace strata::aws
