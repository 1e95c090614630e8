// The libcurl HttpClient: a pool of easy handles, reset and reused per request so that their
// connection caches (keep-alive, TLS sessions) survive between calls.
#include "adapters/aws/http.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>
#include <vector>

#include "adapters/aws/curl_loader.h"

namespace strata::aws {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100 Continue or a proxy's CONNECT answer)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(std::string(Trim(line.substr(0, colon))),
                          std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

TransportError Classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    default:
      return TransportError::kOther;
  }
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options) : options_(std::move(options)) {}
  ~CurlHttpClient() override {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  Result<HttpResponse> Send(const HttpRequest& request, TransportError* error) override {
    if (error != nullptr) *error = TransportError::kNone;
    CURL* handle = Acquire();
    if (handle == nullptr) return Status::Internal("curl_easy_init failed");
    HttpResponse response;
    curl_slist* headers = nullptr;
    CURLcode code = Configure(handle, request, response, headers);
    if (code == CURLE_OK) code = curl_easy_perform(handle);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      Release(handle);
      if (error != nullptr) *error = Classify(code);
      if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
        return Status::InvalidArgument(std::string(curl_easy_strerror(code)) + ": " +
                                       request.url);
      }
      return Status::Unavailable(curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    Release(handle);
    return response;
  }

 private:
  CURLcode Configure(CURL* h, const HttpRequest& request, HttpResponse& response,
                     curl_slist*& headers) {
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    // No "Expect: 100-continue" round trip, and no Content-Type curl would invent.
    headers = curl_slist_append(headers, "Expect:");
    if (FindHeader(request.headers, "content-type").empty()) {
      headers = curl_slist_append(headers, "Content-Type:");
    }
    const bool https = request.url.starts_with("https:");
    const std::string& proxy = https ? options_.https_proxy : options_.http_proxy;
    auto timeout = request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
    CURLcode c = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
      if (c == CURLE_OK) c = curl_easy_setopt(h, option, value);
    };
    set(CURLOPT_URL, request.url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_TCP_KEEPALIVE, 1L);
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_bundle.empty()) set(CURLOPT_CAINFO, options_.ca_bundle.c_str());
    // An empty proxy turns off curl's own reading of the proxy environment variables: the
    // caller decides.
    set(CURLOPT_PROXY, proxy.c_str());
    set(CURLOPT_NOPROXY, options_.no_proxy.c_str());
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    set(CURLOPT_HTTPHEADER, headers);
    set(CURLOPT_WRITEFUNCTION, OnBody);
    set(CURLOPT_WRITEDATA, &response.body);
    set(CURLOPT_HEADERFUNCTION, OnHeader);
    set(CURLOPT_HEADERDATA, &response.headers);
    if (request.method == "GET") {
      set(CURLOPT_HTTPGET, 1L);
    } else {
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      set(CURLOPT_POSTFIELDS, request.body.data());
      if (request.method != "POST") set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    return c;
  }

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  // Back to the pool with its options cleared but its connections kept.
  void Release(CURL* handle) {
    curl_easy_reset(handle);
    std::lock_guard<std::mutex> lock(mu_);
    if (static_cast<int>(idle_.size()) < options_.max_connections) {
      idle_.push_back(handle);
      return;
    }
    curl_easy_cleanup(handle);
  }

  const HttpOptions options_;
  std::mutex mu_;
  std::vector<CURL*> idle_;  // guarded by mu_
};

}  // namespace

std::string_view FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

void SetHeader(Headers& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

Result<UrlParts> SplitUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return Status::InvalidArgument("not an absolute URL (scheme://host/path): " +
                                   std::string(url));
  }
  UrlParts parts;
  parts.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?");
  parts.authority = std::string(rest.substr(0, authority_end));
  if (parts.authority.empty()) {
    return Status::InvalidArgument("URL without a host: " + std::string(url));
  }
  rest = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  size_t query_start = rest.find('?');
  parts.path = std::string(rest.substr(0, query_start));
  if (parts.path.empty()) parts.path = "/";
  if (query_start != std::string_view::npos) parts.query = std::string(rest.substr(query_start + 1));
  return parts;
}

Result<std::unique_ptr<HttpClient>> NewCurlHttpClient(const HttpOptions& options) {
  if (Status loaded = LoadLibcurl(); !loaded.ok()) return loaded;
  static std::once_flag init_once;
  static CURLcode init_code = CURLE_OK;
  // curl's one-time process setup (TLS library init); not a handle, nothing shared per call.
  std::call_once(init_once, [] { init_code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_code != CURLE_OK) {
    return Status::Internal(std::string("curl_global_init: ") + curl_easy_strerror(init_code));
  }
  if (options.max_connections < 0 || options.connect_timeout.count() <= 0 ||
      options.request_timeout.count() <= 0) {
    return Status::InvalidArgument(
        "HTTP options: timeouts must be positive and max_connections not negative");
  }
  return std::unique_ptr<HttpClient>(std::make_unique<CurlHttpClient>(options));
}

}  // namespace strata::aws
