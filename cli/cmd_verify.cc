// strata verify: every checksum, the hash chain, a replay of every event, the head witness (the
// second copy of the newest acknowledged commit's seq and hash), and every commit's signature
// (docs/signing.md): a bad signature fails verify; --require-signed fails on every commit (after
// --since REF) that is not validly signed.
#include <fmt/format.h>

#include <chrono>
#include <ostream>

#include "cli/commands.h"
#include "cli/log_store.h"
#include "cli/signing.h"
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

// What verify was asked about signatures.
struct SignatureOptions {
  bool require = false;     // --require-signed
  uint64_t after_seq = 0;   // --since REF: only commits after REF's seq must be signed
  std::string since;        // REF as given
  bool configured = false;  // strata.yaml has a signing: section
};

// Every commit's signature judged, counted, and the problems kept in seq order.
class SignatureTally {
 public:
  SignatureTally(const SignatureOptions& options, sign::Trust trust)
      : options_(options), trust_(trust) {}

  void Add(uint64_t seq, std::string_view payload, int64_t time_unix_micros) {
    sign::SignatureCheck c = sign::CheckCommitSignature(payload, time_unix_micros, trust_);
    ++counts_[static_cast<size_t>(c.status)];
    if (c.ok()) return;
    const bool required = options_.require && seq > options_.after_seq;
    if (c.status == sign::SignatureStatus::kUnsigned && !required) return;
    const bool fails = required || c.status == sign::SignatureStatus::kBad;
    if (fails) ++failures_;
    problems_.push_back({seq, std::move(c), fails});
  }

  uint64_t failures() const { return failures_; }
  // Whether there is anything to say: a signed commit, a problem, or signing asked about.
  bool worth_saying() const {
    return options_.require || options_.configured || !problems_.empty() ||
           counts_[static_cast<size_t>(sign::SignatureStatus::kUnsigned)] != Total();
  }

  nlohmann::ordered_json Json() const {
    nlohmann::ordered_json j;
    for (size_t i = 0; i < kStatuses; ++i) {
      j[std::string(sign::StatusName(static_cast<sign::SignatureStatus>(i)))] = counts_[i];
    }
    if (options_.require) {
      j["required_after_seq"] = options_.after_seq;
    }
    j["problems"] = nlohmann::ordered_json::array();
    for (const Problem& p : problems_) {
      auto one = SignatureJson(p.check);
      one["seq"] = p.seq;
      one["fails"] = p.fails;
      j["problems"].push_back(std::move(one));
    }
    return j;
  }

  void Print(const Context& ctx) const {
    std::vector<std::string> parts;
    static constexpr const char* kWords[] = {"signed", "unsigned", "unknown key", "revoked",
                                             "not valid at their time", "bad"};
    for (size_t i = 0; i < kStatuses; ++i) {
      if (counts_[i] != 0 || i < 2) parts.push_back(fmt::format("{} {}", counts_[i], kWords[i]));
    }
    *ctx.out << "signatures: " << fmt::format("{}", fmt::join(parts, ", ")) << "\n";
    for (const Problem& p : problems_) {
      *ctx.out << "  " << ctx.Paint(SignatureColor(p.check), fmt::format("seq {}", p.seq)) << ": "
               << p.check.Describe() << "\n";
    }
    if (options_.require && failures_ > 0) {
      *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
          ": {} commit{} {} not validly signed (--require-signed{})\n", failures_,
          failures_ == 1 ? "" : "s", failures_ == 1 ? "is" : "are",
          options_.since.empty() ? "" : fmt::format(", after {} = seq {}", options_.since,
                                                    options_.after_seq));
    } else if (failures_ > 0) {
      *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
          ": {} commit{} with a bad signature\n", failures_, failures_ == 1 ? "" : "s");
    }
  }

 private:
  static constexpr size_t kStatuses = 6;
  struct Problem {
    uint64_t seq;
    sign::SignatureCheck check;
    bool fails;
  };
  uint64_t Total() const {
    uint64_t n = 0;
    for (uint64_t c : counts_) n += c;
    return n;
  }

  SignatureOptions options_;
  sign::Trust trust_;
  uint64_t counts_[kStatuses] = {};
  uint64_t failures_ = 0;
  std::vector<Problem> problems_;
};

// The first word of the chain's line: a green "ok" only when nothing else fails, so a run that
// fails on signatures does not open with a green ok.
std::string ChainOk(const Context& ctx, const SignatureTally& tally) {
  return tally.failures() > 0 ? "chain ok" : ctx.Paint(Color::kGreen, "ok");
}

// Adds the signature report to the output (when worth saying) and turns signature failures into
// exit code 1.
int FinishSignatures(const Context& ctx, const SignatureTally& tally, bool chain_ok,
                     nlohmann::ordered_json* j) {
  if (tally.worth_saying()) (*j)["signatures"] = tally.Json();
  if (tally.failures() > 0) (*j)["ok"] = false;
  if (ctx.json) {
    ctx.PrintJson(*j);
  } else if (tally.worth_saying()) {
    tally.Print(ctx);
  }
  return chain_ok && tally.failures() == 0 ? kExitOk : kExitError;
}

// A shared log: every entry read from the store, the chain checked from genesis (dense seqs,
// each prev_hash the hash of the entry before) and every event replayed. There is no head
// witness: the store itself never rewrites or removes an entry.
CommandResult VerifyShared(Context& ctx, LogStore& store, SignatureTally& tally,
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
    tally.Add(e.seq, e.payload, c.time_unix_micros());
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
    // Printed by FinishSignatures, with the signatures.
  } else if (s.ok()) {
    *ctx.out << ChainOk(ctx, tally) << fmt::format(
        ": {} commits, {} events, {} bytes; chain intact up to seq {} ({}) in {}\n", commits,
        events, bytes, head.seq, HashHex(head.hash).substr(0, 12), store.Describe());
  } else {
    *ctx.out << ctx.Paint(Color::kRed, "FAILED") << fmt::format(
        " at seq {}: {}\n{} commit{} before it {} intact (up to seq {}).\n", head.seq + 1,
        s.message(), commits, commits == 1 ? "" : "s", commits == 1 ? "is" : "are", head.seq);
  }
  return FinishSignatures(ctx, tally, s.ok(), &j);
}

// The signature options from the flags: --since resolved to a seq (on the log's index).
Result<SignatureOptions> ReadSignatureOptions(Context& ctx, const po::variables_map& vm) {
  SignatureOptions o;
  o.require = vm["require-signed"].as<bool>();
  o.configured = !ctx.project.signing.where.empty();
  if (vm.count("since")) {
    if (!o.require) throw UsageError{"--since needs --require-signed"};
    o.since = vm["since"].as<std::string>();
    STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
    STRATA_ASSIGN_OR_RETURN(o.after_seq, history->Resolve(o.since));
  }
  return o;
}

}  // namespace

CommandResult RunVerify(Context& ctx) {
  const CommandFlags spec = VerifyFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  const auto start = std::chrono::steady_clock::now();
  STRATA_ASSIGN_OR_RETURN(SignatureOptions signature_options, ReadSignatureOptions(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(TrustFiles trust, LoadTrust(ctx));
  SignatureTally tally(signature_options, trust.trust());
  STRATA_ASSIGN_OR_RETURN(std::shared_ptr<LogStore> shared, OpenSharedLogStore(ctx));
  if (shared) return VerifyShared(ctx, *shared, tally, start);

  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(ctx.project.log_dir));
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(ctx.env, ctx.project.log_dir));
  pb::State state;
  uint64_t commits = 0, events = 0, bytes = 0;
  Head head;
  CommitScanOptions scan;
  scan.decode_ahead = true;
  scan.keep_payload = true;  // for the signatures, which are judged on the stored bytes
  // Progress against the head the log says it has (none when even that cannot be read).
  auto progress = ctx.Progress("verifying the log");
  const auto log_head = reader->ReadHead();
  const uint64_t total = log_head.ok() ? log_head->seq : 0;
  if (total == 0) progress = nullptr;
  Status s = reader->Scan(scan, [&](const ScannedCommit& c) -> Status {
    Status applied = ApplyCommit(c.commit, &state, OnFailure::kDiscard);
    if (!applied.ok()) {
      return Status::Corruption(fmt::format("commit {}: cannot be replayed: {}", c.commit.seq(),
                                            applied.message()));
    }
    tally.Add(c.commit.seq(), c.payload, c.commit.time_unix_micros());
    ++commits;
    events += c.commit.events_size();
    bytes += c.position.stored_size;
    head = Head{c.commit.seq(), c.hash, c.position};
    if (progress && commits % 1000 == 0) progress(c.commit.seq(), total);
    return Status::Ok();
  });
  if (progress && s.ok() && head.seq == total)
    progress(total, total);
  else if (progress)
    progress(0, 0);
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
    // Printed by FinishSignatures, with the signatures.
  } else if (s.ok()) {
    *ctx.out << ChainOk(ctx, tally) << fmt::format(
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
  return FinishSignatures(ctx, tally, s.ok(), &j);
}

CommandFlags VerifyFlags() {
  CommandFlags f{po::options_description("verify options"), {}};
  po::options_description& o = f.options;
  o.add_options()("require-signed", po::bool_switch(),
                  "fail on every commit that is not validly signed")(
      "since", po::value<std::string>(),
      "with --require-signed: only commits after this one (a tag, a seq) must be signed");
  return f;
}

}  // namespace strata::cli
