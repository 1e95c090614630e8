// The credential chain with every outside part faked: environment, files, HTTP, processes, clock.
#include "adapters/aws/credential_chain.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/adapters/aws/fake_http.h"

namespace strata::aws {
namespace {

using testing::FakeHttpClient;
using Time = std::chrono::system_clock::time_point;

const Time kNow = std::chrono::system_clock::from_time_t(1772366400);  // 2026-03-01T12:00:00Z

class FakeProcessRunner : public common::ProcessRunner {
 public:
  Result<common::ProcessResult> Run(const common::ProcessRequest& request) override {
    requests.push_back(request);
    return result;
  }
  common::ProcessResult result;
  std::vector<common::ProcessRequest> requests;
};

struct World {
  std::map<std::string, std::string> env{{"AWS_EC2_METADATA_DISABLED", "true"}};
  std::map<std::string, std::string> files;
  std::string config_text;
  std::string credentials_text;
  std::shared_ptr<FakeHttpClient> http = std::make_shared<FakeHttpClient>();
  std::shared_ptr<FakeProcessRunner> processes = std::make_shared<FakeProcessRunner>();
  Time now = kNow;
  std::string profile = "default";
  bool profile_explicit = false;

  CredentialsContext Context() {
    CredentialsContext c;
    c.getenv = testing::EnvFrom(env);
    auto shared = std::make_shared<SharedConfig>();
    shared->config_path = "/h/.aws/config";
    shared->credentials_path = "/h/.aws/credentials";
    shared->config = *ParseConfigFile(config_text, "/h/.aws/config", ConfigFileKind::kConfig);
    shared->credentials =
        *ParseConfigFile(credentials_text, "/h/.aws/credentials", ConfigFileKind::kCredentials);
    c.config = shared;
    c.profile = profile;
    c.profile_explicit = profile_explicit;
    c.http = http;
    c.processes = processes;
    c.read_file = testing::FilesFrom(files);
    c.clock = [this] { return now; };
    c.sts_endpoint = {"sts", "us-east-1", "http://sts.test"};
    c.sts_parts.http = http;
    c.sts_parts.quota = std::make_shared<RetryQuota>(RetryOptions{});
    c.sts_parts.environment = {c.clock, [](std::chrono::milliseconds) {}, [] { return 0.0; }};
    return c;
  }
};

std::string StsCredentialsXml(const std::string& action, const std::string& key,
                              const std::string& expiration = "2026-03-01T13:00:00Z") {
  return "<" + action + "Response><" + action + "Result><Credentials><AccessKeyId>" + key +
         "</AccessKeyId><SecretAccessKey>S-" + key + "</SecretAccessKey><SessionToken>T-" + key +
         "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials></" + action +
         "Result></" + action + "Response>";
}

TEST(CredentialChainTest, EnvironmentKeysComeFirst) {
  World w;
  w.env["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  w.env["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  w.env["AWS_SESSION_TOKEN"] = "ENVTOKEN";
  w.credentials_text = "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = x\n";
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ENVKEY");
  EXPECT_EQ(c->session_token, "ENVTOKEN");
  EXPECT_EQ(c->source, "the environment (AWS_ACCESS_KEY_ID)");
}

TEST(CredentialChainTest, ExplicitProfileWinsOverEnvironmentKeys) {
  World w;
  w.env["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  w.env["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  w.credentials_text = "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n";
  w.profile = "dev";
  w.profile_explicit = true;
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "DEVKEY");
  EXPECT_EQ(c->source, "profile dev (/h/.aws/credentials:1)");
}

TEST(CredentialChainTest, HalfTheEnvironmentKeysIsAnError) {
  World w;
  w.env["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(CredentialChainTest, NothingAnywhereSaysWhatToSet) {
  World w;
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kNotFound);
  EXPECT_EQ(c.status().message().rfind("no AWS credentials found: set AWS_ACCESS_KEY_ID and "
                                       "AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile",
                                       0),
            0u)
      << c.status().message();
  EXPECT_TRUE(w.http->sent().empty()) << "instance metadata is disabled";
}

TEST(CredentialChainTest, WebIdentityFromEnvironmentCallsStsUnsignedWithTheToken) {
  World w;
  w.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  w.env["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  w.env["AWS_ROLE_SESSION_NAME"] = "sess";
  w.files["/var/run/token"] = "JWTSECRETTOKEN\n";
  w.http->Then(FakeHttpClient::Ok(StsCredentialsXml("AssumeRoleWithWebIdentity", "WEBKEY")));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "WEBKEY");
  EXPECT_EQ(c->secret_access_key, "S-WEBKEY");
  EXPECT_EQ(c->session_token, "T-WEBKEY");
  auto sent = w.http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].url, "http://sts.test/");
  EXPECT_TRUE(FindHeader(sent[0].headers, "Authorization").empty());
  EXPECT_NE(sent[0].body.find("Action=AssumeRoleWithWebIdentity"), std::string::npos);
  EXPECT_NE(sent[0].body.find("&WebIdentityToken=JWTSECRETTOKEN"), std::string::npos)
      << sent[0].body;
  EXPECT_NE(sent[0].body.find("RoleSessionName=sess"), std::string::npos);
  EXPECT_NE(sent[0].body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"), std::string::npos);
}

TEST(CredentialChainTest, WebIdentityFailureNeverShowsTheToken) {
  World w;
  w.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  w.env["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  w.files["/var/run/token"] = "JWTSECRETTOKEN";
  w.http->Then(FakeHttpClient::Ok(
      "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token JWTSECRETTOKEN"
      "</Message></Error></ErrorResponse>",
      400));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find("JWTSECRETTOKEN"), std::string::npos)
      << c.status().message();
  EXPECT_NE(c.status().message().find("InvalidIdentityToken"), std::string::npos);
}

TEST(CredentialChainTest, ProfileWebIdentity) {
  World w;
  w.config_text =
      "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t\n";
  w.files["/t"] = "JWT";
  w.profile = "ci";
  w.http->Then(FakeHttpClient::Ok(StsCredentialsXml("AssumeRoleWithWebIdentity", "CIKEY")));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "CIKEY");
}

TEST(CredentialChainTest, RoleWithSourceProfileAssumesTheRoleSignedWithTheSourceKeys) {
  World w;
  w.config_text =
      "[profile admin]\nrole_arn = arn:aws:iam::1:role/admin\nsource_profile = base\n"
      "external_id = ext\nrole_session_name = me\n";
  w.credentials_text = "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n";
  w.profile = "admin";
  w.http->Then(FakeHttpClient::Ok(StsCredentialsXml("AssumeRole", "ROLEKEY")));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ROLEKEY");
  ASSERT_TRUE(c->expiration.has_value());
  auto sent = w.http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(FindHeader(sent[0].headers, "Authorization").find("Credential=BASEKEY/"),
            std::string::npos);
  EXPECT_NE(sent[0].body.find("Action=AssumeRole&"), std::string::npos);
  EXPECT_NE(sent[0].body.find("ExternalId=ext"), std::string::npos);
  EXPECT_NE(sent[0].body.find("RoleSessionName=me"), std::string::npos);
}

TEST(CredentialChainTest, SourceProfileLoopIsAnError) {
  World w;
  w.config_text =
      "[profile a]\nrole_arn = arn:r:a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:r:b\nsource_profile = a\n";
  w.profile = "a";
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("loops"), std::string::npos) << c.status().message();
}

TEST(CredentialChainTest, CredentialProcessOutputIsRead) {
  World w;
  w.config_text = "[default]\ncredential_process = /opt/bin/creds --account 1\n";
  w.env["PATH"] = "/usr/bin";
  w.processes->result.output =
      R"({"Version":1,"AccessKeyId":"PKEY","SecretAccessKey":"PSECRET",)"
      R"("SessionToken":"PTOKEN","Expiration":"2026-03-01T12:30:00Z"})";
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "PKEY");
  EXPECT_EQ(c->session_token, "PTOKEN");
  ASSERT_EQ(w.processes->requests.size(), 1u);
  EXPECT_EQ(w.processes->requests[0].argv,
            (std::vector<std::string>{"/bin/sh", "-c", "/opt/bin/creds --account 1"}));
  EXPECT_EQ(w.processes->requests[0].environment, (std::vector<std::string>{"PATH=/usr/bin"}));
}

TEST(CredentialChainTest, CredentialProcessFailureAndBadVersionAreErrors) {
  World w;
  w.config_text = "[default]\ncredential_process = creds\n";
  w.processes->result.exit_code = 2;
  w.processes->result.errors = "not logged in\n";
  auto failed = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(),
            "credential_process of profile default (/h/.aws/config:1) exited with status 2: "
            "not logged in");
  w.processes->result = {0, R"({"Version":2,"AccessKeyId":"K","SecretAccessKey":"S"})", ""};
  auto version = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.status().message().find("\"Version\": 1"), std::string::npos);
}

TEST(CredentialChainTest, ContainerRelativeUriGoesTo169254170_2WithTheTokenFile) {
  World w;
  w.env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  w.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/token";
  w.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored";
  w.files["/token"] = "FILETOKEN\n";
  w.http->Then(FakeHttpClient::Ok(
      R"({"AccessKeyId":"CKEY","SecretAccessKey":"CSECRET","Token":"CTOKEN","Expiration":"2026-03-01T18:00:00Z"})"));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->session_token, "CTOKEN");
  auto sent = w.http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(FindHeader(sent[0].headers, "Authorization"), "FILETOKEN");
}

TEST(CredentialChainTest, ContainerFullUriMustBeLocalOrHttps) {
  World w;
  w.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://203.0.113.9/creds";
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(w.http->sent().empty());
}

TEST(CredentialChainTest, InstanceMetadataV2TokenRoleCredentials) {
  World w;
  w.env.erase("AWS_EC2_METADATA_DISABLED");
  w.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://imds.test/";
  w.http->Then(FakeHttpClient::Ok("IMDSTOKEN"))
      .Then(FakeHttpClient::Ok("web-role\n"))
      .Then(FakeHttpClient::Ok(
          R"({"Code":"Success","AccessKeyId":"IKEY","SecretAccessKey":"IS","Token":"IT","Expiration":"2026-03-01T18:00:00Z"})"));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "IKEY");
  auto sent = w.http->sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(sent[0].url, "http://imds.test/latest/api/token");
  EXPECT_EQ(FindHeader(sent[0].headers, "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(sent[1].url, "http://imds.test/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(FindHeader(sent[1].headers, "X-aws-ec2-metadata-token"), "IMDSTOKEN");
  EXPECT_EQ(sent[2].url, "http://imds.test/latest/meta-data/iam/security-credentials/web-role");
}

TEST(CredentialChainTest, NoMetadataServiceMeansNoCredentialsNotAnError) {
  World w;
  w.env.erase("AWS_EC2_METADATA_DISABLED");
  w.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://imds.test";
  w.http->Then(FakeHttpClient::Fail(TransportError::kTimeout, "Timeout was reached"));
  auto c = NewDefaultCredentialsChain(w.Context())->Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kNotFound);
  EXPECT_EQ(c.status().message().rfind("no AWS credentials found", 0), 0u);
}

TEST(CredentialChainTest, ExpiringCredentialsAreRefreshedFiveMinutesBefore) {
  World w;
  w.config_text = "[default]\ncredential_process = creds\n";
  w.processes->result.output =
      R"({"Version":1,"AccessKeyId":"K1","SecretAccessKey":"S","Expiration":"2026-03-01T12:30:00Z"})";
  auto chain = NewDefaultCredentialsChain(w.Context());
  ASSERT_EQ(chain->Get()->access_key_id, "K1");
  w.now = kNow + std::chrono::minutes(20);  // 10 minutes left: cached
  ASSERT_EQ(chain->Get()->access_key_id, "K1");
  EXPECT_EQ(w.processes->requests.size(), 1u);
  w.processes->result.output =
      R"({"Version":1,"AccessKeyId":"K2","SecretAccessKey":"S","Expiration":"2026-03-01T13:30:00Z"})";
  w.now = kNow + std::chrono::minutes(26);  // 4 minutes left: refreshed
  EXPECT_EQ(chain->Get()->access_key_id, "K2");
  EXPECT_EQ(w.processes->requests.size(), 2u);
}

TEST(CredentialChainTest, FailedRefreshKeepsStillValidCredentials) {
  World w;
  w.config_text = "[default]\ncredential_process = creds\n";
  w.processes->result.output =
      R"({"Version":1,"AccessKeyId":"K1","SecretAccessKey":"S","Expiration":"2026-03-01T12:30:00Z"})";
  auto chain = NewDefaultCredentialsChain(w.Context());
  ASSERT_TRUE(chain->Get().ok());
  w.processes->result = {1, "", "broken"};
  w.now = kNow + std::chrono::minutes(27);
  auto still = chain->Get();
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->access_key_id, "K1");
  w.now = kNow + std::chrono::minutes(31);
  EXPECT_FALSE(chain->Get().ok());
}

}  // namespace
}  // namespace strata::aws
