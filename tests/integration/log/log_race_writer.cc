// log_race_writer URL COUNT NAME: one writer of the shared-log race tests (for PostgreSQL,
// tests/integration/postgres/log_race_test.cc; for S3, tests/integration/s3/log_race_test.cc). URL is a `log:` URL of strata.yaml. Waits until
// stdin closes (so all writers start together), then records COUNT commits to that shared log
// through the Recorder (tags and
// deployment records, facts that must all land) and prints one line per acknowledged commit:
// "SEQ HASH NONCE" (hex). Exit 0 when every commit was acknowledged; 1 with the error on stderr.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "cli/log_store.h"
#include "engine/record/recorder.h"

using namespace strata;

namespace {

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char ch : bytes) out += fmt::format("{:02x}", ch);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: log_race_writer URL COUNT NAME\n";
    return 2;
  }
  const std::string url = argv[1];
  const int count = std::atoi(argv[2]);
  const std::string name = argv[3];
  char gate;
  while (read(0, &gate, 1) > 0) {
  }
  auto store = cli::OpenLogStoreUrl(url);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  record::RecorderOptions ro;
  ro.store = std::move(*store);
  ro.actor.set_name(name);
  ro.now_micros = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  ro.steady_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  ro.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  ro.random = [rng = std::make_shared<std::mt19937_64>(std::random_device{}())] {
    return (*rng)();
  };
  ro.max_rebases = 1000;  // 16 writers on one log: a writer may lose many rounds in a row
  auto recorder = record::Recorder::Open(std::move(ro));
  if (!recorder.ok()) {
    std::cerr << recorder.status().ToString() << "\n";
    return 1;
  }
  for (int i = 0; i < count; ++i) {
    auto made = (*recorder)->Record(
        [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
          // A tag naming the head, or a deployment record (the only fact an empty log takes).
          if (i % 2 == 0 && at.head.seq > 0) {
            return std::optional<record::Draft>(record::Draft::Tag(
                fmt::format("{}-{}", name, i), at.head.seq, false, "race"));
          }
          pb::Deployment d;
          d.set_target(name);
          d.set_to_seq(at.head.seq);
          d.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
          return std::optional<record::Draft>(
              record::Draft::Deploy("race", pb::ENGINE_POSTGRES, d, "race"));
        });
    if (!made.ok()) {
      std::cerr << "commit " << i << ": " << made.status().ToString() << "\n";
      return 1;
    }
    const StoredCommit& c = **made;
    std::cout << c.commit.seq() << " " << HashHex(c.hash) << " " << Hex(c.commit.writer_nonce())
              << "\n";
  }
  return 0;
}
