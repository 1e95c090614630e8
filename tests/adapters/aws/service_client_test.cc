// Retries, quota and messages of ServiceClient, with a scripted transport and no real waits.
#include "adapters/aws/service_client.h"

#include <gtest/gtest.h>

#include "adapters/aws/errors.h"
#include "adapters/aws/json_client.h"
#include "tests/adapters/aws/fake_http.h"

namespace strata::aws {
namespace {

using testing::FakeHttpClient;
using std::chrono::milliseconds;

constexpr char kSecret[] = "SECRETsecretSECRETsecret";
constexpr char kToken[] = "TOKENtokenTOKEN";

struct Harness {
  std::shared_ptr<FakeHttpClient> http = std::make_shared<FakeHttpClient>();
  std::vector<milliseconds> sleeps;
  std::shared_ptr<RetryQuota> quota;

  std::shared_ptr<const ServiceClient> Client(RetryOptions retry = {}) {
    quota = std::make_shared<RetryQuota>(retry);
    ServiceClientParts parts;
    parts.http = http;
    parts.credentials = NewStaticCredentialsProvider({"AKID", kSecret, kToken, {}, "a test"});
    parts.quota = quota;
    parts.retry = retry;
    parts.environment.clock = [] { return std::chrono::system_clock::from_time_t(1700000000); };
    parts.environment.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    parts.environment.random = [] { return 0.5; };
    return std::make_shared<ServiceClient>(
        ServiceEndpoint{"dynamodb", "us-east-1", "http://127.0.0.1:1"}, parts);
  }
  std::unique_ptr<JsonService> Json(RetryOptions retry = {}) {
    return NewJsonService(Client(retry), JsonProtocol{"1.0", "DynamoDB_20120810"});
  }
};

FakeHttpClient::Answer Throttled() {
  return FakeHttpClient::Ok(R"({"__type":"x#ThrottlingException","message":"Rate exceeded"})",
                            400);
}

// A 200 whose body is JSON but not an object (a broken proxy, a hostile server) is an error
// value, not an object the callers' value() and operator[] would throw on.
TEST(ServiceClientTest, AnAnswerThatIsNotAJsonObjectIsUnavailable) {
  for (const char* body : {"[]", "\"text\"", "42", "null", "<html>"}) {
    Harness h;
    h.http->Then(FakeHttpClient::Ok(body));
    auto out = h.Json(RetryOptions{.max_attempts = 1})->Call("ListTables", {}, nullptr);
    ASSERT_FALSE(out.ok()) << body;
    EXPECT_EQ(out.status().code(), Code::kUnavailable) << body;
    EXPECT_NE(out.status().message().find("dynamodb ListTables: the answer is not "),
              std::string::npos)
        << out.status().message();
  }
}

TEST(ServiceClientTest, JsonCallIsASignedPostWithTargetAndBody) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok(R"({"TableNames":["a"]})"));
  auto out = h.Json()->Call("ListTables", {{"Limit", 5}}, nullptr);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["TableNames"][0], "a");
  auto sent = h.http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:1/");
  EXPECT_EQ(sent[0].body, R"({"Limit":5})");
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Target"), "DynamoDB_20120810.ListTables");
  EXPECT_EQ(FindHeader(sent[0].headers, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Security-Token"), kToken);
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Date"), "20231114T221320Z");
  EXPECT_EQ(FindHeader(sent[0].headers, "Authorization")
                .rfind("AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/dynamodb/aws4_request", 0),
            0u);
}

TEST(ServiceClientTest, Retries503TwiceThenSucceedsWithBackoffAndRefund) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok("", 503))
      .Then(FakeHttpClient::Ok("", 503))
      .Then(FakeHttpClient::Ok("{}"));
  auto out = h.Json()->Call("DescribeTable", {{"TableName", "t"}}, nullptr);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(h.http->sent().size(), 3u);
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(500), milliseconds(1000)}));
  // Two retries cost 5 each; success gives back the last retry's cost.
  EXPECT_EQ(h.quota->available(), 495);
}

TEST(ServiceClientTest, ThrottlingExhaustedSaysHowManyAttempts) {
  Harness h;
  h.http->Then(Throttled()).Then(Throttled()).Then(Throttled()).Then(FakeHttpClient::Ok("{}"));
  ServiceError error;
  auto out = h.Json()->Call("DescribeTable", {{"TableName", "t"}}, &error);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kUnavailable);
  EXPECT_EQ(out.status().message(),
            "dynamodb DescribeTable: ThrottlingException: Rate exceeded (gave up after 3 attempts)");
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_EQ(h.http->sent().size(), 3u);
}

TEST(ServiceClientTest, MaxAttemptsOneMeansNoRetry) {
  Harness h;
  h.http->Then(Throttled());
  RetryOptions retry;
  retry.max_attempts = 1;
  auto out = h.Json(retry)->Call("DescribeTable", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "dynamodb DescribeTable: ThrottlingException: Rate exceeded");
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(ServiceClientTest, ClientErrorsAreNotRetriedAndMapToCodes) {
  struct Case {
    const char* type;
    Code code;
  };
  for (Case c : {Case{"ResourceNotFoundException", Code::kNotFound},
                 Case{"ResourceInUseException", Code::kAlreadyExists},
                 Case{"ValidationException", Code::kInvalidArgument},
                 Case{"ConditionalCheckFailedException", Code::kFailedPrecondition}}) {
    Harness h;
    h.http->Then(FakeHttpClient::Ok(std::string(R"({"__type":")") + c.type + R"(","message":"m"})",
                                    400));
    auto out = h.Json()->Call("X", nlohmann::json::object(), nullptr);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), c.code) << c.type;
    EXPECT_EQ(h.http->sent().size(), 1u) << c.type;
  }
}

TEST(ServiceClientTest, UnreachableEndpointAfterRetriesNamesEndpointAndService) {
  Harness h;
  for (int i = 0; i < 3; ++i) {
    h.http->Then(FakeHttpClient::Fail(TransportError::kConnect, "Couldn't connect to server"));
  }
  auto out = h.Json()->Call("ListTables", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kUnavailable);
  EXPECT_EQ(out.status().message(),
            "cannot reach http://127.0.0.1:1 (dynamodb): Couldn't connect to server; is the "
            "endpoint right and the server running? (gave up after 3 attempts)");
}

TEST(ServiceClientTest, TimeoutsCostTenTokensAndAnEmptyQuotaStopsRetrying) {
  Harness h;
  RetryOptions retry;
  retry.max_attempts = 10;
  retry.quota_capacity = 25;
  for (int i = 0; i < 10; ++i) {
    h.http->Then(FakeHttpClient::Fail(TransportError::kTimeout, "Timeout was reached"));
  }
  auto out = h.Json(retry)->Call("ListTables", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(out.ok());
  // 25 tokens pay for two timeout retries: three attempts in all.
  EXPECT_EQ(h.http->sent().size(), 3u);
  EXPECT_EQ(h.quota->available(), 5);
  EXPECT_NE(out.status().message().find("(gave up after 3 attempts)"), std::string::npos);
}

TEST(ServiceClientTest, SecretsEchoedByTheServerAreRedacted) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok(std::string(R"({"__type":"UnrecognizedClientException",)") +
                                      R"("message":"bad key )" + kSecret + " token " + kToken +
                                      R"("})",
                                  400));
  ServiceError error;
  auto out = h.Json()->Call("ListTables", nlohmann::json::object(), &error);
  ASSERT_FALSE(out.ok());
  const std::string& message = out.status().message();
  EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  EXPECT_EQ(message.find(kToken), std::string::npos) << message;
  EXPECT_NE(message.find("the dynamodb endpoint rejected the credentials"), std::string::npos);
  EXPECT_NE(message.find("(the credentials came from a test)"), std::string::npos) << message;
  EXPECT_EQ(error.message.find(kSecret), std::string::npos) << error.message;
}

TEST(ServiceClientTest, EveryAttemptIsSignedAfresh) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok("", 500)).Then(FakeHttpClient::Ok("{}"));
  ASSERT_TRUE(h.Json()->Call("ListTables", nlohmann::json::object(), nullptr).ok());
  auto sent = h.http->sent();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& request : sent) {
    int authorizations = 0;
    for (const auto& [name, value] : request.headers) authorizations += name == "Authorization";
    EXPECT_EQ(authorizations, 1);
  }
}

TEST(ServiceClientTest, NonJsonSuccessIsUnavailable) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok("<html>proxy login</html>"));
  auto out = h.Json()->Call("ListTables", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kUnavailable);
  EXPECT_NE(out.status().message().find("not JSON"), std::string::npos);
}

// An emulator's HTML error page for an operation it lacks (moto's HTTP 500) is not retried,
// and its code says so; an empty 500 still is.
TEST(ServiceClientTest, AnHtmlErrorPageIsNotRetriedAndNamedAsSuch) {
  Harness h;
  h.http->Then(FakeHttpClient::Ok("<!doctype html>\n<html lang=en>\n<title>500 Internal Server "
                                  "Error</title>",
                                  500))
      .Then(FakeHttpClient::Ok("{}"));
  ServiceError error;
  auto out = h.Json()->Call("DescribeContributorInsights", nlohmann::json::object(), &error);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(error.code, kHtmlErrorPage);
  EXPECT_EQ(error.http_status, 500);
  EXPECT_EQ(h.http->sent().size(), 1u);
  EXPECT_NE(out.status().message().find("HTML page"), std::string::npos) << out.status().message();
  Harness again;
  again.http->Then(FakeHttpClient::Ok("", 500)).Then(FakeHttpClient::Ok("{}"));
  EXPECT_TRUE(again.Json()->Call("ListTables", nlohmann::json::object(), nullptr).ok());
  EXPECT_EQ(again.http->sent().size(), 2u);
}

}  // namespace
}  // namespace strata::aws
