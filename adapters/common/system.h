// The machine's ambient state behind small interfaces: time (Clock), waiting (Sleeper),
// randomness (Random) and environment variables (Environment).
//
// Code below cli/ never reads these itself: it takes one of these interfaces, or a std::function
// option the caller builds from one, so tests run it with the deterministic fakes in
// tests/adapters/common/fake_system.h and results do not depend on when or where it ran. The
// real implementations below are for the composition root (cli/) to hand down, and for options
// whose documented default is the real thing. All of them are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace strata::common {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (UTC). May jump when the system time is set: for
  // timestamps, never for measuring how long something took.
  virtual int64_t WallMicros() const = 0;
  // Microseconds since an arbitrary origin, on a clock that never goes back: for durations.
  virtual int64_t SteadyMicros() const = 0;
  int64_t SteadyMillis() const { return SteadyMicros() / 1000; }
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Blocks the calling thread for `ms` milliseconds; returns at once when ms <= 0.
  virtual void SleepMillis(int64_t ms) = 0;
};

class Random {
 public:
  virtual ~Random() = default;
  // A number drawn uniformly from [0, 1).
  virtual double Uniform() = 0;
};

class Environment {
 public:
  virtual ~Environment() = default;
  // The value of the variable `name`; nullopt when it is unset (set but empty is "").
  virtual std::optional<std::string> Get(const std::string& name) const = 0;
};

// The system's clocks (std::chrono's system_clock and steady_clock). Lives as long as the program.
const Clock& SystemClock();
// std::this_thread::sleep_for. Lives as long as the program.
Sleeper& SystemSleeper();
// A generator seeded from the operating system's entropy source, guarded by a mutex.
std::unique_ptr<Random> NewSystemRandom();
// The process's environment variables (getenv). Lives as long as the program.
const Environment& ProcessEnvironment();

}  // namespace strata::common
