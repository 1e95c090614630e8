// HttpClient: sends one HTTP request and returns the answer; the transport under every AWS call.
//
// The curl implementation keeps a pool of easy handles so connections (and TLS sessions) are
// reused across calls, applies connect and total timeouts, verifies TLS peers always, and takes
// its proxy settings from HttpOptions (the cli fills them from the usual environment variables).
// Implementations are thread-safe: Send may run on many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace strata::aws {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The first value of header `name` (compared case-insensitively); empty when absent.
std::string_view FindHeader(const Headers& headers, std::string_view name);
// Replaces every header called `name` (case-insensitively) with one `name: value`.
void SetHeader(Headers& headers, std::string_view name, std::string value);

// An absolute URL cut into the pieces signing needs. `authority` keeps a non-default port
// ("127.0.0.1:8000"); `path` is "/" when the URL has none; `query` excludes the '?'.
struct UrlParts {
  std::string scheme;
  std::string authority;
  std::string path;
  std::string query;
};
// InvalidArgument naming the URL when it is not scheme://authority[/path][?query].
Result<UrlParts> SplitUrl(std::string_view url);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path[?query], path and query percent-encoded
  Headers headers;
  std::string body;
  // Overrides HttpOptions::request_timeout for this request when positive (instance metadata
  // calls use a short one).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Why no answer arrived.
enum class TransportError {
  kNone,
  kConnect,  // could not resolve or connect
  kTimeout,  // connected (or tried to) but the time ran out
  kOther,    // TLS failure, connection reset, malformed answer, ...
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds request_timeout{60000};  // the whole exchange
  int max_connections = 16;                         // idle handles kept for reuse
  // Proxy URLs ("http://proxy:3128"); empty for none. no_proxy is curl's list of host
  // suffixes that bypass the proxy ("localhost,127.0.0.1,.internal").
  std::string https_proxy;
  std::string http_proxy;
  std::string no_proxy;
  std::string ca_bundle;  // a PEM file to trust instead of the system's; empty: the system's
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request` and returns whatever status the server answered with (4xx and 5xx are
  // answers, not errors). Unavailable when no answer arrived, with `*error` (when not null)
  // saying why; the message is the transport's reason alone ("Couldn't connect to server"),
  // for the caller to put beside the URL and the service it was calling.
  virtual Result<HttpResponse> Send(const HttpRequest& request, TransportError* error) = 0;
};

// libcurl with a pool of reusable handles. InvalidArgument for options curl refuses.
Result<std::unique_ptr<HttpClient>> NewCurlHttpClient(const HttpOptions& options);

}  // namespace strata::aws
