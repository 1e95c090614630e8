// SigV4 against the published AWS test suite (tests/adapters/testdata/aws4_testsuite, Apache-2.0,
// see LICENSE and NOTICE there): for every vector, the canonical request, string to sign and
// Authorization header must match byte for byte.
#include "adapters/aws/sigv4.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace strata::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(STRATA_TESTDATA_DIR) / "aws4_testsuite";

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The suite's fixed inputs.
Credentials SuiteCredentials() {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return c;
}
std::chrono::system_clock::time_point SuiteTime() {
  return std::chrono::system_clock::from_time_t(1440938160);  // 2015-08-30T12:36:00Z
}

// A .req file: request line, headers (indented lines continue the previous header, joined
// with a space as an HTTP/1.1 obs-fold is), a blank line, the body. The request target may hold
// characters a real URL would escape (spaces, UTF-8): the signer is given them as they are.
HttpRequest ParseReq(const std::string& text) {
  HttpRequest request;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t first_space = line.find(' ');
  size_t version = line.rfind(" HTTP/");
  request.method = line.substr(0, first_space);
  std::string target = line.substr(first_space + 1, version - first_space - 1);
  std::string host;
  bool in_body = false;
  std::string body;
  while (std::getline(in, line)) {
    if (in_body) {
      body += (body.empty() ? "" : "\n") + line;
      continue;
    }
    if (line.empty()) {
      in_body = true;
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      request.headers.back().second += " " + line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    if (name == "Host") host = value;
    request.headers.emplace_back(name, value);
  }
  request.body = body;
  request.url = "https://" + host + target;
  return request;
}

struct Vector {
  std::string name;
  fs::path dir;
};

std::vector<Vector> AllVectors() {
  std::vector<Vector> out;
  for (const auto& entry : fs::recursive_directory_iterator(kSuite)) {
    if (entry.path().extension() != ".req") continue;
    out.push_back({entry.path().stem().string(), entry.path().parent_path()});
  }
  std::sort(out.begin(), out.end(), [](const Vector& a, const Vector& b) { return a.name < b.name; });
  return out;
}

class Sigv4SuiteTest : public ::testing::TestWithParam<Vector> {};

TEST_P(Sigv4SuiteTest, MatchesCanonicalRequestStringToSignAndAuthorization) {
  const Vector& v = GetParam();
  auto file = [&](const char* ext) { return Slurp(v.dir / (v.name + ext)); };
  HttpRequest request = ParseReq(file(".req"));
  Credentials credentials = SuiteCredentials();
  // Tokens: post-sts-header-before carries its token in the request; the signer adds the header
  // itself, so it moves to the credentials. get-vanilla-with-session-token's request omits the
  // token its expected canonical request signs; it is taken from there.
  // post-sts-header-after adds its token after signing, which this signer never does (the
  // services strata calls all accept a signed token), so it is signed without one: its
  // expected texts are exactly those of a request without the header.
  if (std::string_view token = FindHeader(request.headers, "X-Amz-Security-Token"); !token.empty()) {
    credentials.session_token = std::string(token);
  }
  const std::string creq = file(".creq");
  if (size_t at = creq.find("x-amz-security-token:"); at != std::string::npos &&
                                                       credentials.session_token.empty()) {
    size_t begin = at + std::string("x-amz-security-token:").size();
    credentials.session_token = creq.substr(begin, creq.find('\n', begin) - begin);
  }
  SigningOptions options = SigningOptionsFor("service", "us-east-1", SuiteTime());
  auto result = Sign(options, credentials, request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->canonical_request, creq);
  EXPECT_EQ(result->string_to_sign, file(".sts"));
  EXPECT_EQ(result->authorization, file(".authz"));
  EXPECT_EQ(FindHeader(request.headers, "Authorization"), file(".authz"));
}

INSTANTIATE_TEST_SUITE_P(Aws4TestSuite, Sigv4SuiteTest, ::testing::ValuesIn(AllVectors()),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(Sigv4SuiteTest, SuiteIsPresentAndComplete) {
  // Every vector of the suite as published is run; a missing directory must not pass silently.
  EXPECT_EQ(AllVectors().size(), 34u);
}

TEST(Sigv4Test, S3SignsThePayloadHashAndKeepsThePathAsGiven) {
  HttpRequest request;
  request.method = "PUT";
  request.url = "https://bucket.s3.amazonaws.com/my-object//example//photo.user";
  request.body = "hello";
  auto result = Sign(SigningOptionsFor("s3", "us-east-1", SuiteTime()), SuiteCredentials(),
                     request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(FindHeader(request.headers, "x-amz-content-sha256"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(result->canonical_request.substr(0, result->canonical_request.find('\n', 4)),
            "PUT\n/my-object//example//photo.user");
  EXPECT_NE(result->authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date"),
            std::string::npos);
}

TEST(Sigv4Test, OtherServicesEncodeAnEncodedPathAgain) {
  HttpRequest request;
  request.url = "https://example.amazonaws.com/a%20b/c";
  auto result = Sign(SigningOptionsFor("glue", "eu-west-1", SuiteTime()), SuiteCredentials(),
                     request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->canonical_request.substr(0, result->canonical_request.find('\n', 4)),
            "GET\n/a%2520b/c");
}

TEST(Sigv4Test, ResigningReplacesTheOldSignatureAndDate) {
  HttpRequest request;
  request.method = "POST";
  request.url = "https://dynamodb.us-east-1.amazonaws.com/";
  auto first = Sign(SigningOptionsFor("dynamodb", "us-east-1", SuiteTime()), SuiteCredentials(),
                    request);
  auto second = Sign(SigningOptionsFor("dynamodb", "us-east-1", SuiteTime() + std::chrono::hours(1)),
                     SuiteCredentials(), request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second->canonical_request.find("authorization"), std::string::npos);
  EXPECT_NE(first->signature, second->signature);
  int dates = 0;
  for (const auto& [name, value] : request.headers) dates += name == "X-Amz-Date";
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Date"), "20150830T133600Z");
}

TEST(Sigv4Test, HostHeaderKeepsANonDefaultPortAndDropsADefaultOne) {
  HttpRequest local;
  local.url = "http://127.0.0.1:8000/";
  ASSERT_TRUE(Sign(SigningOptionsFor("dynamodb", "us-east-1", SuiteTime()), SuiteCredentials(),
                   local).ok());
  EXPECT_EQ(FindHeader(local.headers, "Host"), "127.0.0.1:8000");
  HttpRequest remote;
  remote.url = "https://glue.us-east-1.amazonaws.com:443/";
  ASSERT_TRUE(Sign(SigningOptionsFor("glue", "us-east-1", SuiteTime()), SuiteCredentials(),
                   remote).ok());
  EXPECT_EQ(FindHeader(remote.headers, "Host"), "glue.us-east-1.amazonaws.com");
}

TEST(Sigv4Test, MissingKeysAreInvalidArgument) {
  HttpRequest request;
  request.url = "https://example.amazonaws.com/";
  Credentials none;
  auto result = Sign(SigningOptionsFor("glue", "us-east-1", SuiteTime()), none, request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
}

TEST(Sigv4Test, SessionTokenIsSignedAndTheSecretAppearsNowhere) {
  HttpRequest request;
  request.url = "https://sts.amazonaws.com/";
  Credentials c = SuiteCredentials();
  c.session_token = "TOKEN123";
  auto result = Sign(SigningOptionsFor("sts", "us-east-1", SuiteTime()), c, request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Security-Token"), "TOKEN123");
  EXPECT_NE(result->authorization.find("x-amz-security-token"), std::string::npos);
  for (const auto& [name, value] : request.headers) {
    EXPECT_EQ(value.find(c.secret_access_key), std::string::npos) << name;
  }
  EXPECT_EQ(result->canonical_request.find(c.secret_access_key), std::string::npos);
}

}  // namespace
}  // namespace strata::aws
