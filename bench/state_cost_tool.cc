// state_cost_tool: what the pieces of a whole-state time travel cost, one at a time, on a
// project's own log and index. Each round, on fresh memory as a new process would have:
//   restore    the checkpoint at or before --at: its blocks decompressed and parsed (two threads)
//   copy       the same protobuf objects built again by copying the restored state (one
//              thread): what restoring from any stored format into this state still costs
//   serialize  every object's fragment made as a checkpoint makes them (one thread)
//   state at   restore plus the replay of the commits from the checkpoint up to --at
//
//   state_cost_tool --dir DIR --at SEQ [--rounds 15]
//
// Prints the median wall and CPU time (user plus system, all threads) of each piece.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "engine/index/index.h"
#include "engine/index/state_parts.h"
#include "engine/log/env.h"
#include "engine/state/fragments.h"
#include "engine/store/commit_store.h"

namespace {

namespace po = boost::program_options;
using google::protobuf::Arena;

struct Cost {
  double wall_ms = 0;
  double cpu_ms = 0;
};

double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

Cost Time(const std::function<void()>& work) {
  const double cpu = CpuMs();
  const auto start = std::chrono::steady_clock::now();
  work();
  const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - start;
  return {wall.count(), CpuMs() - cpu};
}

template <typename T>
T Check(strata::Result<T> r, const std::string& what) {
  if (!r.ok()) {
    std::cerr << "state_cost_tool: " << what << ": " << r.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(r).value();
}

// The seq of the newest checkpoint at or before `at`, read from the index file; 0 when none.
uint64_t CheckpointAtOrBefore(const std::string& index_path, uint64_t at) {
  sqlite3* db = nullptr;
  uint64_t seq = 0;
  if (sqlite3_open_v2(index_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT max(seq) FROM checkpoints WHERE seq <= ?", -1, &q,
                           nullptr) == SQLITE_OK) {
      sqlite3_bind_int64(q, 1, static_cast<sqlite3_int64>(at));
      if (sqlite3_step(q) == SQLITE_ROW) seq = static_cast<uint64_t>(sqlite3_column_int64(q, 0));
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return seq;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  uint64_t at = 0;
  int rounds = 15;
  po::options_description o("state_cost_tool");
  o.add_options()("dir", po::value(&dir)->required(), "project directory (holding .strata)")(
      "at", po::value(&at)->required(), "the seq to travel to")(
      "rounds", po::value(&rounds)->default_value(15), "rounds to take medians over");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, o), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "state_cost_tool: " << e.what() << "\n" << o;
    return 2;
  }
  const std::string log_dir = dir + "/.strata";
  const std::string index_path = log_dir + "/index.sqlite";
  auto env = strata::NewPosixEnv();
  auto reader = Check(strata::CommitReader::Open(env.get(), log_dir), "open the log");
  auto index = Check(strata::Index::Open(index_path, reader.get(), {}), "open the index");
  const uint64_t checkpoint = CheckpointAtOrBefore(index_path, at);
  if (checkpoint == 0) {
    std::cerr << "state_cost_tool: no checkpoint at or before seq " << at << "\n";
    return 1;
  }

  std::vector<double> wall[4], cpu[4];
  size_t objects = 0, fragment_bytes = 0;
  for (int r = 0; r < rounds; ++r) {
    auto restored_on = std::make_unique<Arena>(strata::StateArenaOptions());
    strata::pb::State* state = nullptr;
    const Cost restore = Time([&] {
      auto parts = Check(index->StatePartsAt(checkpoint, restored_on.get()), "restore");
      state = strata::JoinParts(parts);
    });
    auto copied_on = std::make_unique<Arena>(strata::StateArenaOptions());
    const Cost copy = Time([&] {
      auto* copy = Arena::CreateMessage<strata::pb::State>(copied_on.get());
      *copy = *state;
    });
    copied_on.reset();
    const Cost serialize = Time([&] {
      objects = fragment_bytes = 0;
      for (const auto& [_, schema] : state->schemas()) {
        for (const auto& [name, fragment] : strata::SplitSchema(schema)) {
          ++objects;
          fragment_bytes += fragment.size();
        }
      }
    });
    restored_on.reset();
    auto travelled_on = std::make_unique<Arena>(strata::StateArenaOptions());
    const Cost state_at =
        Time([&] { Check(index->StatePartsAt(at, travelled_on.get()), "travel"); });
    const Cost costs[4] = {restore, copy, serialize, state_at};
    for (int i = 0; i < 4; ++i) {
      wall[i].push_back(costs[i].wall_ms);
      cpu[i].push_back(costs[i].cpu_ms);
    }
  }
  std::cout << fmt::format("checkpoint at seq {}: {} objects, {:.1f} MB of fragments; "
                           "travelling to seq {}; medians of {} rounds\n",
                           checkpoint, objects, fragment_bytes / 1e6, at, rounds);
  const char* names[4] = {"restore", "copy", "serialize", "state at"};
  for (int i = 0; i < 4; ++i) {
    std::cout << fmt::format("  {:<10} wall {:7.1f} ms   cpu {:7.1f} ms\n", names[i],
                             Median(wall[i]), Median(cpu[i]));
  }
  return 0;
}
