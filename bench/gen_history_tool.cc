// gen_history_tool: writes a large, valid, deterministic DynamoDB history into a project
// directory (<dir>/.strata), for benchmarking the CLI on a realistic log.
//
//   gen_history_tool --dir DIR [--events 1000000] [--tables 10000] [--seed 1] [--probes 20]
//
// Commits go through CommitWriter::AppendBatch, so the log is exactly what strata itself
// writes, with one fsync per batch instead of one per commit. Beside the log it writes
// DIR/gen_history.txt: the parameters (so a script can tell whether a history is reusable),
// totals, and probes ("probe=SEQ TABLE": a table that exists at that seq) for time travel.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/history_gen.h"
#include "engine/log/env.h"
#include "engine/store/commit_store.h"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using strata::bench::HistoryGenerator;
using strata::bench::HistoryOptions;

struct ToolOptions {
  std::string dir;
  HistoryOptions history;
  size_t batch_commits = 1000;
  int probes = 20;
};

// Bytes of the log's segment files ("000001.log", ...): what `du -b` of them says.
uint64_t SegmentBytes(const std::string& log_dir) {
  uint64_t total = 0;
  for (const auto& entry : fs::directory_iterator(log_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".log") total += entry.file_size();
  }
  return total;
}

strata::Status Generate(const ToolOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::string log_dir = options.dir + "/.strata";
  auto env = strata::NewPosixEnv();
  STRATA_RETURN_IF_ERROR(env->CreateDirs(log_dir));
  STRATA_ASSIGN_OR_RETURN(auto writer,
                          strata::CommitWriter::Open(env.get(), log_dir, strata::LogOptions{}));
  if (writer->head().seq != 0) {
    return strata::Status::FailedPrecondition(fmt::format(
        "{} already holds {} commits; generate into an empty directory", log_dir,
        writer->head().seq));
  }

  HistoryGenerator gen(options.history);
  std::vector<strata::pb::Commit> batch;
  batch.reserve(options.batch_commits);
  uint64_t payload_bytes = 0;
  auto flush = [&]() -> strata::Status {
    if (batch.empty()) return strata::Status::Ok();
    STRATA_ASSIGN_OR_RETURN(auto stored, writer->AppendBatch(std::move(batch)));
    for (const auto& c : stored) payload_bytes += c.payload_bytes;
    batch.clear();
    return strata::Status::Ok();
  };
  while (!gen.Done()) {
    STRATA_ASSIGN_OR_RETURN(strata::pb::Commit commit, gen.Next());
    batch.push_back(std::move(commit));
    if (batch.size() >= options.batch_commits) {
      STRATA_RETURN_IF_ERROR(flush());
      if (gen.commits() % 10'000 < options.batch_commits) {
        std::cerr << fmt::format("  {} commits, {} events\n", gen.commits(), gen.events());
      }
    }
  }
  STRATA_RETURN_IF_ERROR(flush());
  writer.reset();  // release the log lock before anyone reads the totals

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t log_bytes = SegmentBytes(log_dir);
  const double per_event = static_cast<double>(log_bytes) / static_cast<double>(gen.events());

  std::ofstream manifest(options.dir + "/gen_history.txt");
  manifest << "# written by gen_history_tool; read by bench/run.sh\n";
  manifest << fmt::format("params=events:{} tables:{} seed:{}\n", options.history.events,
                          options.history.tables, options.history.seed);
  manifest << fmt::format("commits={}\nevents={}\ntables={}\n", gen.commits(), gen.events(),
                          gen.tables_created());
  manifest << fmt::format("log_bytes={}\npayload_bytes={}\n", log_bytes, payload_bytes);
  for (const auto& p : gen.Probes(options.probes, options.history.seed + 1)) {
    manifest << fmt::format("probe={} {}\n", p.seq, p.table);
  }
  manifest.close();
  if (!manifest) return strata::Status::IoError("writing " + options.dir + "/gen_history.txt");

  std::cout << fmt::format("commits          {}\n", gen.commits());
  std::cout << fmt::format("events           {}\n", gen.events());
  std::cout << fmt::format("tables           {}\n", gen.tables_created());
  std::cout << fmt::format("log bytes        {} (segment files)\n", log_bytes);
  std::cout << fmt::format("payload bytes    {} (serialized commits, before compression)\n",
                           payload_bytes);
  std::cout << fmt::format("bytes/event      {:.1f} on disk, {:.1f} uncompressed\n", per_event,
                           static_cast<double>(payload_bytes) / static_cast<double>(gen.events()));
  std::cout << fmt::format("seconds          {:.1f}\n", seconds);
  std::cout << "events by kind:\n";
  for (const auto& [kind, n] : gen.kind_counts()) {
    std::cout << fmt::format("  {:<28} {}\n", kind, n);
  }
  return strata::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  ToolOptions options;
  po::options_description desc("gen_history_tool options");
  desc.add_options()("help,h", "this help")(
      "dir", po::value<std::string>(&options.dir)->required(),
      "project directory; the log goes to DIR/.strata, which must be empty")(
      "events", po::value<uint64_t>(&options.history.events)->default_value(1'000'000),
      "events to generate")(
      "tables", po::value<uint32_t>(&options.history.tables)->default_value(10'000),
      "tables to create over the history")(
      "seed", po::value<uint64_t>(&options.history.seed)->default_value(1), "random seed")(
      "batch", po::value<size_t>(&options.batch_commits)->default_value(1000),
      "commits per AppendBatch (one fsync each)")(
      "probes", po::value<int>(&options.probes)->default_value(20),
      "time-travel probes to list in gen_history.txt");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "gen_history_tool: " << e.what() << "\n" << desc;
    return 2;
  }
  if (options.history.events == 0 || options.history.tables == 0 || options.batch_commits == 0) {
    std::cerr << "gen_history_tool: --events, --tables and --batch must be positive\n";
    return 2;
  }
  strata::Status s = Generate(options);
  if (!s.ok()) {
    std::cerr << "gen_history_tool: " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}
