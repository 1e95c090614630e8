// Fakes for the AWS core's outside world in unit tests: a scripted HttpClient that answers each
// request with the next scripted answer (an HttpResponse, or a transport failure) and records
// what was sent, and an environment and a file system made of maps.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/aws/config_file.h"
#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"

namespace strata::aws::testing {

class FakeHttpClient : public HttpClient {
 public:
  struct Answer {
    HttpResponse response;
    TransportError failure = TransportError::kNone;
    std::string reason;  // the failure's message
  };

  static Answer Ok(std::string body, int status = 200, Headers headers = {}) {
    return Answer{HttpResponse{status, std::move(headers), std::move(body)}, TransportError::kNone, ""};
  }
  static Answer Fail(TransportError failure, std::string reason) {
    return Answer{{}, failure, std::move(reason)};
  }

  FakeHttpClient& Then(Answer answer) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(answer));
    return *this;
  }
  // Answers requests whose URL starts with `prefix` by `handler`, before the script.
  FakeHttpClient& Route(std::string prefix, std::function<Answer(const HttpRequest&)> handler) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_.emplace_back(std::move(prefix), std::move(handler));
    return *this;
  }

  Result<HttpResponse> Send(const HttpRequest& request, TransportError* error) override {
    Answer answer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      sent_.push_back(request);
      bool routed = false;
      for (const auto& [prefix, handler] : routes_) {
        if (request.url.starts_with(prefix)) {
          answer = handler(request);
          routed = true;
          break;
        }
      }
      if (!routed) {
        if (script_.empty()) {
          answer = Fail(TransportError::kConnect, "no scripted answer for " + request.url);
        } else {
          answer = std::move(script_.front());
          script_.pop_front();
        }
      }
    }
    if (error != nullptr) *error = answer.failure;
    if (answer.failure != TransportError::kNone) return Status::Unavailable(answer.reason);
    return answer.response;
  }

  std::vector<HttpRequest> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  mutable std::mutex mu_;
  std::deque<Answer> script_;
  std::vector<std::pair<std::string, std::function<Answer(const HttpRequest&)>>> routes_;
  std::vector<HttpRequest> sent_;
};

// An environment holding exactly `vars` (copied).
inline GetEnv EnvFrom(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// A file system holding exactly `files` (path -> contents, copied).
inline ReadFile FilesFrom(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) -> Result<std::optional<std::string>> {
    auto it = files.find(path);
    return it == files.end() ? std::optional<std::string>()
                             : std::optional<std::string>(it->second);
  };
}

}  // namespace strata::aws::testing
