#include "adapters/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace strata::aws {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Header values: leading/trailing blanks trimmed, inner runs of blanks folded to one space.
std::string TrimFold(const std::string& v) {
  std::string out;
  bool blank = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// The query string with each name and value URI-encoded, sorted by name then value.
std::string CanonicalQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k = eq == std::string::npos ? part : part.substr(0, eq);
      std::string v = eq == std::string::npos ? "" : part.substr(eq + 1);
      params.emplace_back(UriEncode(k, true), UriEncode(v, true));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

}  // namespace

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string UriEncode(const std::string& s, bool encode_slash) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encode_slash)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string AmzDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigningOutput SignV4(const SigningInput& in, const Credentials& creds) {
  SigningOutput out;
  const std::string amz_date = AmzDate(in.unix_seconds);
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash = Sha256Hex(in.payload);

  // Headers to sign: the request's own plus the ones signing adds.
  std::map<std::string, std::string> signed_headers;
  for (const auto& [k, v] : in.headers) {
    std::string key = Lower(k);
    std::string value = TrimFold(v);
    auto it = signed_headers.find(key);
    if (it == signed_headers.end()) signed_headers[key] = value;
    else it->second += "," + value;
  }
  out.headers.emplace_back("X-Amz-Date", amz_date);
  signed_headers["x-amz-date"] = amz_date;
  if (in.sign_payload_header) {
    out.headers.emplace_back("x-amz-content-sha256", payload_hash);
    signed_headers["x-amz-content-sha256"] = payload_hash;
  }
  if (!creds.session_token.empty()) {
    out.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
    signed_headers["x-amz-security-token"] = creds.session_token;
  }
  std::string canonical_headers, header_names;
  for (const auto& [k, v] : signed_headers) {
    canonical_headers += k + ":" + v + "\n";
    if (!header_names.empty()) header_names += ';';
    header_names += k;
  }
  out.canonical_request = in.method + "\n" + (in.path.empty() ? "/" : in.path) + "\n" +
                          CanonicalQuery(in.query) + "\n" + canonical_headers + "\n" + header_names +
                          "\n" + payload_hash;
  const std::string scope = date + "/" + in.region + "/" + in.service + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" +
                       Sha256Hex(out.canonical_request);
  std::string key = Hmac("AWS4" + creds.secret_access_key, date);
  key = Hmac(key, in.region);
  key = Hmac(key, in.service);
  key = Hmac(key, "aws4_request");
  const std::string sig = Hmac(key, out.string_to_sign);
  out.signature = Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  out.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id +
                                                "/" + scope + ", SignedHeaders=" + header_names +
                                                ", Signature=" + out.signature);
  return out;
}

}  // namespace strata::aws
