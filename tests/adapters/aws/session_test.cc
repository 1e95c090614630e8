// Session: settling region, profile, endpoints and retry settings, with a fake transport.
#include "adapters/aws/session.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/adapters/aws/fake_http.h"

namespace strata::aws {
namespace {

using testing::FakeHttpClient;

struct World {
  std::map<std::string, std::string> env{{"AWS_EC2_METADATA_DISABLED", "true"}};
  std::map<std::string, std::string> files;
  SessionOptions options;
  std::shared_ptr<FakeHttpClient> http = std::make_shared<FakeHttpClient>();
  std::vector<std::chrono::milliseconds> sleeps;

  Result<std::unique_ptr<Session>> Open() {
    options.getenv = testing::EnvFrom(env);
    options.home_dir = "/home/u";
    SessionParts parts;
    parts.http = http;
    parts.read_file = testing::FilesFrom(files);
    parts.retry_environment = RetryEnvironment{
        [] { return std::chrono::system_clock::from_time_t(1700000000); },
        [this](std::chrono::milliseconds d) { sleeps.push_back(d); }, [] { return 0.5; }};
    return Session::Open(options, parts);
  }
};

TEST(SessionTest, RegionFromOptionsThenEnvironmentThenProfile) {
  World s;
  s.files["/home/u/.aws/config"] = "[default]\nregion = from-profile\n";
  EXPECT_EQ((*s.Open())->region(), "from-profile");
  s.env["AWS_DEFAULT_REGION"] = "from-default-region";
  EXPECT_EQ((*s.Open())->region(), "from-default-region");
  s.env["AWS_REGION"] = "from-region";
  EXPECT_EQ((*s.Open())->region(), "from-region");
  s.options.region = "from-target";
  EXPECT_EQ((*s.Open())->region(), "from-target");
}

TEST(SessionTest, NoRegionSaysWhereToSetOne) {
  World s;
  auto session = s.Open();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(session.status().message(),
            "no AWS region: set region: in the target, AWS_REGION, or region in profile default "
            "of /home/u/.aws/config");
}

TEST(SessionTest, BadConfigFileFailsOpenWithFileAndLine) {
  World s;
  s.env["AWS_CONFIG_FILE"] = "~/custom-config";
  s.files["/home/u/custom-config"] = "[default]\nregion = x\n[broken\n";
  auto session = s.Open();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message().rfind("/home/u/custom-config:3: ", 0), 0u)
      << session.status().message();
}

TEST(SessionTest, NamedProfileMustExist) {
  World s;
  s.options.region = "r";
  s.options.profile = "prod";
  auto session = s.Open();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(),
            "AWS profile prod is not defined in /home/u/.aws/config or /home/u/.aws/credentials");
  s.options.profile.clear();
  s.env["AWS_PROFILE"] = "prod";
  EXPECT_FALSE(s.Open().ok());
}

TEST(SessionTest, ProfileFromEnvironmentSuppliesRegion) {
  World s;
  s.env["AWS_PROFILE"] = "dev";
  s.files["/home/u/.aws/config"] = "[profile dev]\nregion = eu-west-1\n";
  auto session = s.Open();
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ((*session)->region(), "eu-west-1");
}

TEST(SessionTest, EndpointsInTheSdkOrder) {
  World s;
  s.options.region = "eu-west-1";
  s.files["/home/u/.aws/config"] =
      "[default]\nendpoint_url = http://profile-global\nservices = local\n"
      "[services local]\nglue =\n  endpoint_url = http://profile-glue\n";
  {
    auto session = *s.Open();
    EXPECT_EQ(session->EndpointFor("glue"), "http://profile-glue");
    EXPECT_EQ(session->EndpointFor("dynamodb"), "http://profile-global");
  }
  s.env["AWS_ENDPOINT_URL"] = "http://env-global/";
  {
    auto session = *s.Open();
    EXPECT_EQ(session->EndpointFor("glue"), "http://env-global");
  }
  s.env["AWS_ENDPOINT_URL_GLUE"] = "http://env-glue";
  {
    auto session = *s.Open();
    EXPECT_EQ(session->EndpointFor("glue"), "http://env-glue");
    EXPECT_EQ(session->EndpointFor("dynamodb"), "http://env-global");
  }
  s.options.endpoint_url = "http://target/";
  {
    auto session = *s.Open();
    EXPECT_EQ(session->EndpointFor("glue"), "http://target");
    EXPECT_EQ(session->EndpointFor("dynamodb"), "http://target");
    EXPECT_EQ(session->EndpointFor("sts"), "http://env-global");
  }
}

TEST(SessionTest, IgnoreConfiguredEndpointsLeavesOnlyTheTargetsAndTheDefault) {
  World s;
  s.options.region = "eu-west-1";
  s.env["AWS_ENDPOINT_URL"] = "http://env-global";
  s.env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  auto session = *s.Open();
  EXPECT_EQ(session->EndpointFor("glue"), "https://glue.eu-west-1.amazonaws.com");
  EXPECT_EQ(session->EndpointFor("sts"), "https://sts.eu-west-1.amazonaws.com");
  s.options.endpoint_url = "http://127.0.0.1:8000";
  EXPECT_EQ((*s.Open())->EndpointFor("dynamodb"), "http://127.0.0.1:8000");
}

TEST(SessionTest, MissingServicesSectionIsAConfigError) {
  World s;
  s.options.region = "r";
  s.files["/home/u/.aws/config"] = "[default]\nservices = nowhere\n";
  auto session = s.Open();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(),
            "/home/u/.aws/config:1: profile default names services nowhere, but there is no "
            "[services nowhere] section");
}

TEST(SessionTest, JsonKnowsThreeServices) {
  World s;
  s.options.region = "r";
  auto session = *s.Open();
  EXPECT_TRUE(session->Json("dynamodb").ok());
  EXPECT_TRUE(session->Json("glue").ok());
  EXPECT_TRUE(session->Json("athena").ok());
  auto s3 = session->Json("s3");
  ASSERT_FALSE(s3.ok());
  EXPECT_EQ(s3.status().code(), Code::kInvalidArgument);
}

TEST(SessionTest, JsonServiceSpeaksEachServicesProtocol) {
  World s;
  s.options.region = "us-west-2";
  s.env["AWS_ACCESS_KEY_ID"] = "K";
  s.env["AWS_SECRET_ACCESS_KEY"] = "S";
  s.http->Then(FakeHttpClient::Ok("{}")).Then(FakeHttpClient::Ok("{}"));
  auto session = *s.Open();
  ASSERT_TRUE((*session->Json("athena"))->Call("ListWorkGroups", {}, nullptr).ok());
  ASSERT_TRUE((*session->Json("dynamodb"))->Call("ListTables", {}, nullptr).ok());
  auto sent = s.http->sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].url, "https://athena.us-west-2.amazonaws.com/");
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Target"), "AmazonAthena.ListWorkGroups");
  EXPECT_EQ(FindHeader(sent[0].headers, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_NE(FindHeader(sent[0].headers, "Authorization").find("/us-west-2/athena/aws4_request"),
            std::string::npos);
  EXPECT_EQ(FindHeader(sent[1].headers, "X-Amz-Target"), "DynamoDB_20120810.ListTables");
}

TEST(SessionTest, MaxAttemptsFromOptionsEnvironmentProfileOrThree) {
  World s;
  s.options.region = "r";
  s.env["AWS_ACCESS_KEY_ID"] = "K";
  s.env["AWS_SECRET_ACCESS_KEY"] = "S";
  auto attempts = [&]() {
    s.http = std::make_shared<FakeHttpClient>();
    for (int i = 0; i < 10; ++i) s.http->Then(FakeHttpClient::Ok("", 503));
    auto session = *s.Open();
    (void)(*session->Json("glue"))->Call("GetDatabases", {}, nullptr);
    return s.http->sent().size();
  };
  EXPECT_EQ(attempts(), 3u);
  s.files["/home/u/.aws/config"] = "[default]\nmax_attempts = 2\n";
  EXPECT_EQ(attempts(), 2u);
  s.env["AWS_MAX_ATTEMPTS"] = "4";
  EXPECT_EQ(attempts(), 4u);
  s.options.max_attempts = 1;
  EXPECT_EQ(attempts(), 1u);
  s.options.max_attempts = 0;
  s.env["AWS_MAX_ATTEMPTS"] = "lots";
  auto bad = s.Open();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "AWS_MAX_ATTEMPTS must be a whole number of at least 1, not 'lots'");
}

TEST(SessionTest, CallerRefusesPublicStsWhenTheTargetIsLocal) {
  World s;
  s.options.region = "us-east-1";
  s.options.endpoint_url = "http://127.0.0.1:8000";
  s.env["AWS_ACCESS_KEY_ID"] = "K";
  s.env["AWS_SECRET_ACCESS_KEY"] = "S";
  auto session = *s.Open();
  auto caller = session->Caller();
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(caller.status().message().find("AWS_ENDPOINT_URL_STS"), std::string::npos);
  EXPECT_TRUE(s.http->sent().empty());
}

TEST(SessionTest, CallerRefusesPublicStsWhenAProfileSendsAServiceElsewhere) {
  World s;
  s.options.region = "us-east-1";
  s.files["/home/u/.aws/config"] =
      "[default]\nservices = local\n[services local]\ndynamodb =\n  endpoint_url = http://127.0.0.1:8000\n";
  s.env["AWS_ACCESS_KEY_ID"] = "K";
  s.env["AWS_SECRET_ACCESS_KEY"] = "S";
  auto caller = (*s.Open())->Caller();
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(s.http->sent().empty());
}

TEST(SessionTest, CallerAsksStsOnceAndCaches) {
  World s;
  s.options.region = "us-east-1";
  s.env["AWS_ACCESS_KEY_ID"] = "K";
  s.env["AWS_SECRET_ACCESS_KEY"] = "S";
  s.http->Then(FakeHttpClient::Ok(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111:user/me</Arn>"
      "<UserId>AIDA</UserId><Account>111</Account></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>"));
  auto session = *s.Open();
  auto first = session->Caller();
  auto second = session->Caller();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->arn, "arn:aws:iam::111:user/me");
  EXPECT_EQ(first->account, "111");
  EXPECT_EQ(first->user_id, "AIDA");
  auto sent = s.http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].url, "https://sts.us-east-1.amazonaws.com/");
  EXPECT_EQ(sent[0].body, "Action=GetCallerIdentity&Version=2011-06-15");
}

TEST(SessionTest, CredentialsAreResolvedOnFirstUseNotAtOpen) {
  World s;
  s.options.region = "r";
  auto session = s.Open();
  ASSERT_TRUE(session.ok()) << "no credentials is not an Open error";
  auto call = (*(*session)->Json("glue"))->Call("GetDatabases", {}, nullptr);
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.status().code(), Code::kNotFound);
  EXPECT_EQ(call.status().message().rfind("glue GetDatabases: no AWS credentials found", 0), 0u)
      << call.status().message();
  EXPECT_TRUE(s.http->sent().empty());
}

}  // namespace
}  // namespace strata::aws
