// Deterministic stand-ins for the interfaces of adapters/common/system.h: a clock that moves only
// when told to, a sleeper that advances that clock instead of waiting (and remembers every
// sleep), a random source that answers a fixed sequence, and an environment held in a map.
// All are thread-safe, like the real ones, so code that fans out can use them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/common/system.h"

namespace strata::common {

class FakeClock : public Clock {
 public:
  // 2024-01-01T00:00:00Z: a wall time that reads well in messages.
  static constexpr int64_t kDefaultWallMicros = 1704067200LL * 1000000;

  explicit FakeClock(int64_t wall_micros = kDefaultWallMicros, int64_t steady_micros = 0)
      : wall_(wall_micros), steady_(steady_micros) {}

  int64_t WallMicros() const override { return wall_.load(); }
  int64_t SteadyMicros() const override { return steady_.load(); }

  // Moves both clocks forward.
  void AdvanceMicros(int64_t micros) {
    wall_ += micros;
    steady_ += micros;
  }
  void AdvanceMillis(int64_t ms) { AdvanceMicros(ms * 1000); }
  // Sets the wall clock alone, as when the system time is changed; the steady clock stays.
  void SetWallMicros(int64_t micros) { wall_ = micros; }

 private:
  std::atomic<int64_t> wall_;
  std::atomic<int64_t> steady_;
};

class FakeSleeper : public Sleeper {
 public:
  // With a clock, each sleep advances it by the time slept.
  explicit FakeSleeper(FakeClock* clock = nullptr) : clock_(clock) {}

  void SleepMillis(int64_t ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(ms);
    if (clock_ != nullptr && ms > 0) clock_->AdvanceMillis(ms);
  }

  // Every sleep asked for, in order.
  std::vector<int64_t> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  int64_t total_ms() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t total = 0;
    for (int64_t ms : sleeps_) total += ms > 0 ? ms : 0;
    return total;
  }

 private:
  FakeClock* clock_;
  mutable std::mutex mu_;
  std::vector<int64_t> sleeps_;
};

class FakeRandom : public Random {
 public:
  // Answers `values` in turn, starting again after the last; each must be in [0, 1). No values
  // means 0.5 every time.
  explicit FakeRandom(std::vector<double> values = {0.5}) : values_(std::move(values)) {
    if (values_.empty()) values_.push_back(0.5);
  }

  double Uniform() override {
    std::lock_guard<std::mutex> lock(mu_);
    double value = values_[next_];
    next_ = (next_ + 1) % values_.size();
    return value;
  }

 private:
  std::mutex mu_;
  std::vector<double> values_;
  size_t next_ = 0;
};

class FakeEnvironment : public Environment {
 public:
  explicit FakeEnvironment(std::map<std::string, std::string> variables = {})
      : variables_(std::move(variables)) {}

  std::optional<std::string> Get(const std::string& name) const override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = variables_.find(name);
    if (it == variables_.end()) return std::nullopt;
    return it->second;
  }

  void Set(const std::string& name, std::string value) {
    std::lock_guard<std::mutex> lock(mu_);
    variables_[name] = std::move(value);
  }
  void Unset(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    variables_.erase(name);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> variables_;
};

}  // namespace strata::common
