// SigV4 header signing; see docs/aws.md for where it is used and the test suite for its cases.
#include "adapters/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <vector>

#include "adapters/common/url_query.h"

namespace strata::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Removes "." and ".." segments and empty segments, keeping a trailing slash: what every
// service but S3 does to the path before signing it.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  bool trailing = !path.empty() && (path.back() == '/' || path.ends_with("/.") ||
                                    path.ends_with("/.."));
  if (out.empty() || trailing) out += '/';
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view item = query.substr(start, end - start);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string_view key = item.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
      params.emplace_back(UriEncode(common::PercentDecode(key), false),
                          UriEncode(common::PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += key + "=" + value;
  }
  return out;
}

// Trims and collapses runs of whitespace to one space, as SigV4 asks of header values.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

struct CanonicalHeaders {
  std::string text;    // "name:value\n" lines
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders Canonicalize(const Headers& headers) {
  // Same-named headers join with ',' in the order they were given.
  std::map<std::string, std::string> joined;
  for (const auto& [name, value] : headers) {
    std::string key = Lower(name);
    std::string canonical = CanonicalHeaderValue(value);
    auto [it, inserted] = joined.emplace(key, canonical);
    if (!inserted) it->second += "," + canonical;
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : joined) {
    out.text += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ';';
    out.signed_names += name;
  }
  return out;
}

std::string DefaultAuthorityHost(const UrlParts& url) {
  std::string_view authority = url.authority;
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if ((url.scheme == "https" && port == "443") || (url.scheme == "http" && port == "80")) {
      return std::string(authority.substr(0, colon));
    }
  }
  return std::string(authority);
}

std::string SigningKey(std::string_view secret, std::string_view date, const SigningOptions& o) {
  std::string key = HmacSha256("AWS4" + std::string(secret), date);
  key = HmacSha256(key, o.region);
  key = HmacSha256(key, o.service);
  return HmacSha256(key, "aws4_request");
}

}  // namespace

std::string AmzDate(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof(digest));
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

SigningOptions SigningOptionsFor(std::string_view service, std::string_view region,
                                 std::chrono::system_clock::time_point time) {
  SigningOptions options;
  options.service = std::string(service);
  options.region = std::string(region);
  options.time = time;
  if (service == "s3") {
    options.normalize_path = false;
    options.encode_path_again = false;
    options.add_content_sha256 = true;
  }
  return options;
}

Result<SigningResult> Sign(const SigningOptions& options, const Credentials& credentials,
                           HttpRequest& request) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::InvalidArgument("cannot sign a request to " + options.service +
                                   ": the credentials have no access key id or secret key");
  }
  STRATA_ASSIGN_OR_RETURN(UrlParts url, SplitUrl(request.url));
  const std::string amz_date = AmzDate(options.time);
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash = Sha256Hex(request.body);

  // A request signed before (a retry) must not sign its old signature.
  std::erase_if(request.headers, [](const auto& h) { return Lower(h.first) == "authorization"; });
  if (FindHeader(request.headers, "host").empty()) {
    request.headers.emplace_back("Host", DefaultAuthorityHost(url));
  }
  SetHeader(request.headers, "X-Amz-Date", amz_date);
  if (!credentials.session_token.empty()) {
    SetHeader(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  if (options.add_content_sha256) SetHeader(request.headers, "x-amz-content-sha256", payload_hash);

  std::string path = options.normalize_path ? NormalizePath(url.path) : url.path;
  if (options.encode_path_again) path = UriEncode(path, true);
  CanonicalHeaders headers = Canonicalize(request.headers);

  SigningResult out;
  out.canonical_request = request.method + "\n" + path + "\n" + CanonicalQuery(url.query) +
                          "\n" + headers.text + "\n" + headers.signed_names + "\n" +
                          payload_hash;
  const std::string scope = date + "/" + options.region + "/" + options.service + "/aws4_request";
  out.string_to_sign = std::string(kAlgorithm) + "\n" + amz_date + "\n" + scope + "\n" +
                       Sha256Hex(out.canonical_request);
  std::string key = SigningKey(credentials.secret_access_key, date, options);
  std::string mac = HmacSha256(key, out.string_to_sign);
  out.signature = Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope + ", SignedHeaders=" + headers.signed_names +
                      ", Signature=" + out.signature;
  SetHeader(request.headers, "Authorization", out.authorization);
  return out;
}

}  // namespace strata::aws
