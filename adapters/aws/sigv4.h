// AWS Signature Version 4, as a pure function: a request's method, path, query, headers and
// payload plus credentials, region, service and time in; the headers that sign it out.
//
// Follows the published algorithm: canonical request -> string to sign -> HMAC-SHA256 chain of
// the date, region, service and "aws4_request" -> signature. No I/O, no clock: the caller
// passes the time, so the function is deterministic and testable against the AWS test suite.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  int64_t expires_unix = 0;   // 0: does not expire
  std::string source;         // where they came from ("environment", "profile dev", ...)
};

struct SigningInput {
  std::string method;                                        // "POST"
  std::string path;                                          // "/" (already URI-encoded)
  std::string query;                                         // "a=1&b=2", not encoded yet
  std::vector<std::pair<std::string, std::string>> headers;  // must include host
  std::string payload;
  std::string region;
  std::string service;
  int64_t unix_seconds = 0;
  bool sign_payload_header = false;  // add x-amz-content-sha256 (S3)
};

struct SigningOutput {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
  // Headers to add to the request: X-Amz-Date, Authorization, and X-Amz-Security-Token /
  // x-amz-content-sha256 when they apply.
  std::vector<std::pair<std::string, std::string>> headers;
};

SigningOutput SignV4(const SigningInput& input, const Credentials& credentials);

// Helpers shared with tests and other signers.
std::string Sha256Hex(const std::string& data);
std::string UriEncode(const std::string& s, bool encode_slash);
std::string AmzDate(int64_t unix_seconds);  // 20150830T123600Z

}  // namespace strata::aws
