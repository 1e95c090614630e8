// log_race_writer CONNINFO TABLE LOG COUNT NAME: one writer of the race test
// (log_race_test.cc beside it). Waits until stdin closes (so all writers start
// together), then records COUNT commits to the PostgreSQL log through the Recorder (tags and
// deployment records, facts that must all land) and prints one line per acknowledged commit:
// "SEQ HASH NONCE" (hex). Exit 0 when every commit was acknowledged; 1 with the error on stderr.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "adapters/postgres/log_store.h"
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
  if (argc != 6) {
    std::cerr << "usage: log_race_writer CONNINFO TABLE LOG COUNT NAME\n";
    return 2;
  }
  postgres::PostgresLogStoreOptions o;
  o.conninfo = argv[1];
  o.table = argv[2];
  o.log_id = argv[3];
  const int count = std::atoi(argv[4]);
  const std::string name = argv[5];
  char gate;
  while (read(0, &gate, 1) > 0) {
  }
  auto store = postgres::PostgresLogStore::Open(o);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  record::RecorderOptions ro;
  ro.store = std::shared_ptr<LogStore>(std::move(*store));
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
