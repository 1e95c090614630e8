#include "adapters/aws/credentials.h"

#include <mutex>

namespace strata::aws {
namespace {

class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override { return credentials_; }

 private:
  const Credentials credentials_;
};

class CachingProvider : public CredentialsProvider {
 public:
  CachingProvider(std::unique_ptr<CredentialsProvider> inner, Clock clock,
                  std::chrono::seconds refresh_before)
      : inner_(std::move(inner)), clock_(std::move(clock)), refresh_before_(refresh_before) {}

  Result<Credentials> Get() override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = clock_();
    if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_)) {
      return *cached_;
    }
    auto fresh = inner_->Get();
    if (fresh.ok()) {
      cached_ = *fresh;
      return fresh;
    }
    if (cached_ && now < *cached_->expiration) return *cached_;
    return fresh.status();
  }

 private:
  const std::unique_ptr<CredentialsProvider> inner_;
  const Clock clock_;
  const std::chrono::seconds refresh_before_;
  std::mutex mu_;
  std::optional<Credentials> cached_;  // guarded by mu_
};

}  // namespace

std::unique_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials credentials) {
  return std::make_unique<StaticProvider>(std::move(credentials));
}

std::unique_ptr<CredentialsProvider> NewCachingCredentialsProvider(
    std::unique_ptr<CredentialsProvider> inner, Clock clock, std::chrono::seconds refresh_before) {
  return std::make_unique<CachingProvider>(std::move(inner), std::move(clock), refresh_before);
}

}  // namespace strata::aws
