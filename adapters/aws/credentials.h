// Credentials and the interface of everything that supplies them.
//
// A CredentialsProvider answers "which keys do I sign with right now?". The sources (environment,
// profiles, web identity, container, instance metadata) and the chain that tries them in the AWS
// SDKs' order are in credential_chain.h; here are the types they share, the static provider and
// the cache that refreshes expiring credentials. Providers are thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/status.h"

namespace strata::aws {

using Clock = std::function<std::chrono::system_clock::time_point()>;
// Reads one environment variable; nullopt when unset. The cli passes the real environment.
using GetEnv = std::function<std::optional<std::string>(const std::string&)>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; nullopt for keys that do not expire.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Where they came from, for messages: "environment", "profile dev in ~/.aws/credentials", ...
  std::string source;
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // The credentials to sign with. NotFound when this source has none (the chain then asks the
  // next one); any other error stops the chain (a source that is configured but broken).
  virtual Result<Credentials> Get() = 0;
};

// A provider that always answers the same keys (tests, and profiles with static keys).
std::unique_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials credentials);

// Remembers what `inner` answered and asks again only when the credentials are within
// `refresh_before` of their expiration. When a refresh fails while the old credentials are still
// valid, keeps using them; once expired, the failure is returned.
std::unique_ptr<CredentialsProvider> NewCachingCredentialsProvider(
    std::unique_ptr<CredentialsProvider> inner, Clock clock,
    std::chrono::seconds refresh_before = std::chrono::minutes(5));

}  // namespace strata::aws
