// AWS Signature Version 4 for requests signed in headers, as a pure function of the request,
// the credentials, the scope and the time: no clock, no I/O.
//
// Sign adds X-Amz-Date, X-Amz-Security-Token (temporary credentials), x-amz-content-sha256
// (when the service wants it, as S3 does) and Authorization to the request, and returns the
// intermediate texts (canonical request, string to sign) so tests can compare each step with the
// published test suite.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"
#include "engine/status.h"

namespace strata::aws {

struct SigningOptions {
  std::string service;  // the signing name: "dynamodb", "glue", "sts", "s3", ...
  std::string region;
  std::chrono::system_clock::time_point time;
  // Every service but S3 signs the path with dot segments and repeated slashes removed, and
  // percent-encodes the (already encoded) path once more.
  bool normalize_path = true;
  bool encode_path_again = true;
  // S3 wants the payload hash in an x-amz-content-sha256 header too.
  bool add_content_sha256 = false;
};

// The options the named service signs with (S3's exceptions included).
SigningOptions SigningOptionsFor(std::string_view service, std::string_view region,
                                 std::chrono::system_clock::time_point time);

struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the Authorization header's value
};

// Signs `request` in place (see the file comment). InvalidArgument when the URL cannot be
// parsed or the credentials lack a key. Never puts the secret key anywhere but in the HMAC.
Result<SigningResult> Sign(const SigningOptions& options, const Credentials& credentials,
                           HttpRequest& request);

// "20150830T123600Z".
std::string AmzDate(std::chrono::system_clock::time_point time);
// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Percent-encodes everything but A-Z a-z 0-9 - _ . ~ (and '/' when `keep_slash`).
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace strata::aws
