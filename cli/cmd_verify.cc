// strata verify: every checksum, the hash chain, a replay of every event, and the head
// witness (the second copy of the newest acknowledged commit's seq and hash).
#include <fmt/format.h>

#include <chrono>
#include <ostream>

#include "cli/commands.h"
#include "cli/log_store.h"
#include "engine/state/apply.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

// The head witness as people read it: "seq 3 (f3c87d38e299)", "missing", or why it is damaged.
struct WitnessReport {
  std::string state;   // "ok" | "missing" | "damaged" | "none" (empty log, no witness)
  std::string detail;
};

WitnessReport ReportWitness(const CommitReader& reader, uint64_t commits) {
  if (!reader.witness_status().ok()) return {"damaged", reader.witness_status().message()};
  if (reader.witness()) {
    return {"ok", fmt::format("seq {} ({})", reader.witness()->seq,
                              HashHex(reader.witness()->hash).substr(0, 12))};
  }
  if (commits == 0) return {"none", ""};
  return {"missing",
          "the head witness (.strata/HEAD) is missing: the newest commits cannot be checked "
          "against it (logs written before witnesses existed have none); the next write "
          "recreates it"};
}

// A shared log: every entry read from the store, the chain checked from genesis (dense seqs,
// each prev_hash the hash of the entry before) and every event replayed. There is no head
// witness: the store itself never rewrites or removes an entry.
CommandResult VerifyShared(Context& ctx, LogStore& store,
                           std::chrono::steady_clock::time_point start) {
  pb::State state;
  uint64_t commits = 0, events = 0, bytes = 0;
  Head head;
  Status s = ScanStore(store, Head{}, 1000, [&](const LogEntry& e, const pb::Commit& c) -> Status {
    Status applied = ApplyCommit(c, &state, OnFailure::kDiscard);
    if (!applied.ok()) {
      return Status::Corruption(
          fmt::format("commit {}: cannot be replayed: {}", c.seq(), applied.message()));
    }
    ++commits;
    events += c.events_size();
    bytes += e.payload.size();
    head = Head{e.seq, e.hash, std::nullopt};
    return Status::Ok();
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::ordered_json j = {{"version", 1}, {"ok", s.ok()}, {"commits", commits},
                              {"events", events}, {"bytes", bytes}, {"head_seq", head.seq},
                              {"head_hash", HashHex(head.hash)}, {"seconds", seconds},
                              {"witness", "none"}, {"store", store.Describe()}};
  if (!s.ok()) {
    j["first_bad_seq"] = head.seq + 1;
    j["problem"] = s.message();
  }
  if (ctx.json) {
    ctx.PrintJson(j);
  } else if (s.ok()) {
    *ctx.out << ctx.Paint(Color::kGreen, "ok") << fmt::format(
        ": {} commits, {} events, {} bytes; chain intact up to seq {} ({}) in {}\n", commits,
        events, bytes, head.seq, HashHex(head.hash).substr(0, 12), store.Describe());
  } else {
    *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
        " at seq {}: {}\n{} commit{} before it {} intact (up to seq {}).\n", head.seq + 1,
        s.message(), commits, commits == 1 ? "" : "s", commits == 1 ? "is" : "are", head.seq);
  }
  return s.ok() ? kExitOk : kExitError;
}

}  // namespace

CommandResult RunVerify(Context& ctx) {
  po::options_description o("verify options");
  auto vm = ParseArgs(ctx, o, {});
  const auto start = std::chrono::steady_clock::now();
  STRATA_ASSIGN_OR_RETURN(std::shared_ptr<LogStore> shared, OpenSharedLogStore(ctx));
  if (shared) return VerifyShared(ctx, *shared, start);

  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(ctx.project.log_dir));
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(ctx.env, ctx.project.log_dir));
  pb::State state;
  uint64_t commits = 0, events = 0, bytes = 0;
  Head head;
  CommitScanOptions scan;
  scan.decode_ahead = true;
  Status s = reader->Scan(scan, [&](const StoredCommit& c) -> Status {
    Status applied = ApplyCommit(c.commit, &state, OnFailure::kDiscard);
    if (!applied.ok()) {
      return Status::Corruption(fmt::format("commit {}: cannot be replayed: {}", c.commit.seq(),
                                            applied.message()));
    }
    ++commits;
    events += c.commit.events_size();
    bytes += c.position.stored_size;
    head = Head{c.commit.seq(), c.hash, c.position};
    if (ctx.interactive && !ctx.json && commits % 20000 == 0) {
      ctx.Note(fmt::format("  verified {} commits", commits));
    }
    return Status::Ok();
  });
  const WitnessReport witness = ReportWitness(*reader, commits);
  // A damaged witness is its own problem, not damage at the commit after the last good one.
  const bool witness_only = !s.ok() && witness.state == "damaged";
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::ordered_json j = {{"version", 1}, {"ok", s.ok()}, {"commits", commits},
                              {"events", events}, {"bytes", bytes}, {"head_seq", head.seq},
                              {"head_hash", HashHex(head.hash)}, {"seconds", seconds},
                              {"witness", witness.state}};
  if (!reader->tail_note().empty()) j["tail_note"] = reader->tail_note();
  if (!s.ok()) {
    if (!witness_only) j["first_bad_seq"] = head.seq + 1;
    j["problem"] = s.message();
  }
  if (ctx.json) {
    ctx.PrintJson(j);
  } else if (s.ok()) {
    *ctx.out << ctx.Paint(Color::kGreen, "ok") << fmt::format(
        ": {} commits, {} events, {} bytes; chain intact up to seq {} ({})\n", commits, events,
        bytes, head.seq, HashHex(head.hash).substr(0, 12));
    if (!reader->tail_note().empty()) {
      *ctx.out << "note: " << reader->tail_note()
               << " (never acknowledged: the next write cuts it back)\n";
    }
    if (witness.state == "missing") *ctx.out << "warning: " << witness.detail << "\n";
  } else if (witness_only) {
    *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
        ": {}\nThe {} commit{} of the log {} intact (up to seq {}).\n",
        witness.detail, commits, commits == 1 ? "" : "s", commits == 1 ? "is" : "are", head.seq);
  } else {
    *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
        " at seq {}: {}\n{} commit{} before it {} intact (up to seq {}).\n", head.seq + 1,
        s.message(), commits, commits == 1 ? "" : "s", commits == 1 ? "is" : "are", head.seq);
  }
  return s.ok() ? kExitOk : kExitError;
}

}  // namespace strata::cli
