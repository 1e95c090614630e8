// The real implementations of system.h: the one place below cli/ that reads the clocks, sleeps,
// draws from the OS's entropy source or calls getenv.
#include "adapters/common/system.h"

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

namespace strata::common {
namespace {

template <typename C>
int64_t MicrosOf() {
  return std::chrono::duration_cast<std::chrono::microseconds>(C::now().time_since_epoch())
      .count();
}

class RealClock : public Clock {
 public:
  int64_t WallMicros() const override { return MicrosOf<std::chrono::system_clock>(); }
  int64_t SteadyMicros() const override { return MicrosOf<std::chrono::steady_clock>(); }
};

class RealSleeper : public Sleeper {
 public:
  void SleepMillis(int64_t ms) override {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }
};

class RealRandom : public Random {
 public:
  double Uniform() override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_{std::random_device{}()};
};

class RealEnvironment : public Environment {
 public:
  std::optional<std::string> Get(const std::string& name) const override {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }
};

}  // namespace

const Clock& SystemClock() {
  static const RealClock clock{};
  return clock;
}

Sleeper& SystemSleeper() {
  static RealSleeper sleeper;
  return sleeper;
}

std::unique_ptr<Random> NewSystemRandom() { return std::make_unique<RealRandom>(); }

const Environment& ProcessEnvironment() {
  static const RealEnvironment environment{};
  return environment;
}

}  // namespace strata::common
