// HTTP for the AWS clients: an HttpClient interface (tests and fault injection replace it)
// and its libcurl implementation.
//
// CurlHttpClient keeps a pool of curl easy handles, so connections are reused across calls
// (keep-alive) and calls may run on many threads at once (one handle per call in flight).
// TLS verification is always on. Proxy settings are passed in (the cli reads them from the
// environment); nothing here reads environment variables.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace strata::aws {

struct HttpOptions {
  int64_t connect_timeout_ms = 3000;
  int64_t request_timeout_ms = 60000;
  std::string https_proxy;  // "http://proxy:3128" for https:// URLs; empty: none
  std::string http_proxy;   // the same for http:// URLs
  std::string no_proxy;  // comma-separated hosts that bypass the proxy
  size_t max_idle_connections = 32;
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // scheme://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header named `name` (lower case), or "".
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request. An HTTP error status is a response, not a failure; Unavailable only
  // when no response arrived (connection refused, timeout, TLS failure), naming the URL.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// Thread-safe.
std::unique_ptr<HttpClient> NewCurlHttpClient(const HttpOptions& options);

// Splits "https://host:port/path?q" into its parts. InvalidArgument for a URL without a
// scheme or host.
struct UrlParts {
  std::string scheme, host, port, path, query;
  std::string HostHeader() const;  // host, plus :port when it is not the scheme's default
};
Result<UrlParts> ParseUrl(const std::string& url);

}  // namespace strata::aws
