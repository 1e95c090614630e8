// strata log push LOCATION: moves the project's log to another place (a shared store, or back to
// a directory) and points strata.yaml's log: line at it. A list of named steps over one Push.
// docs/team-log.md, "Moving a log".
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "cli/log_store.h"
#include "cli/mirror.h"
#include "engine/store/local_log_store.h"
#include "engine/store/mirror.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr size_t kPage = 512;

struct Push {
  explicit Push(Context& c) : ctx(c) {}
  Context& ctx;
  std::string location;   // as it will be written in strata.yaml
  bool to_url = false;
  std::shared_ptr<LogStore> source;  // the project's log now (a shared log: its mirror)
  std::shared_ptr<LogStore> dest;
  uint64_t count = 0;     // entries 1..count are the history that moves
  uint64_t already = 0;   // of them, already in the destination (an earlier, interrupted push)
  uint64_t relocation_seq = 0;  // a shared source's relocation commit
};

std::string Short(const Hash& h) { return HashHex(h).substr(0, 12); }

Result<std::shared_ptr<LogStore>> OpenDirectory(const Context& ctx, const std::string& dir) {
  LocalLogStoreOptions o;
  o.env = ctx.env;
  o.dir = dir;
  o.note = [&ctx](const std::string& line) { ctx.Note(line); };
  STRATA_ASSIGN_OR_RETURN(auto store, LocalLogStore::Open(std::move(o)));
  return std::shared_ptr<LogStore>(std::move(store));
}

// The LOCATION argument: a URL as given, or a directory written relative to the project root.
Status ParseLocation(Push& p, const std::string& arg) {
  if (arg.find("://") != std::string::npos) {
    STRATA_RETURN_IF_ERROR(CheckLogUrlScheme(arg, "log push"));
    p.location = arg;
    p.to_url = true;
    return Status::Ok();
  }
  fs::path abs = fs::path(arg).is_absolute() ? fs::path(arg) : fs::path(p.ctx.cwd) / arg;
  abs = abs.lexically_normal();
  fs::path rel = abs.lexically_relative(p.ctx.project.root);
  p.location = !rel.empty() && *rel.begin() != ".." ? rel.string() : abs.string();
  return Status::Ok();
}

Status OpenSource(Push& p) {
  if (p.ctx.project.log_url.empty()) {
    STRATA_ASSIGN_OR_RETURN(p.source, OpenDirectory(p.ctx, p.ctx.project.log_dir));
    return Status::Ok();
  }
  // A shared log moves from its mirror, brought up to date first; the store must answer.
  STRATA_ASSIGN_OR_RETURN(auto store, StoreForWrite(p.ctx));
  (void)store;
  STRATA_ASSIGN_OR_RETURN(p.source, OpenDirectory(p.ctx, MirrorDir(p.ctx.project)));
  return Status::Ok();
}

Status OpenDestination(Push& p) {
  if (p.to_url) {
    STRATA_ASSIGN_OR_RETURN(std::string url,
                            ExpandVariables(p.location, p.ctx.getenv, "log push " + p.location));
    STRATA_ASSIGN_OR_RETURN(p.dest, OpenLogStoreUrl(url));
  } else {
    const std::string dir = (fs::path(p.ctx.project.root) / p.location).lexically_normal();
    const std::string from = p.ctx.project.log_url.empty() ? p.ctx.project.log_dir : "";
    if (dir == from) {
      return Status::InvalidArgument(fmt::format("{} is the project's log already", dir));
    }
    STRATA_ASSIGN_OR_RETURN(p.dest, OpenDirectory(p.ctx, dir));
  }
  Status probed = p.dest->ProbeConditionalWrites();
  if (!probed.ok()) {
    // The probe's own message names the store and what went wrong: a store that ignores the
    // condition (and says to use one that does), or one that could not be written at all.
    return Status(probed.code(), fmt::format("{}; nothing was copied", probed.message()));
  }
  return Status::Ok();
}

// The source's entry `seq`.
Result<LogEntry> EntryAt(LogStore& store, uint64_t seq) {
  STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> e, store.Read(seq, 1));
  if (e.empty() || e.front().seq != seq) {
    return Status::Corruption(fmt::format("{} has no commit {}", store.Describe(), seq));
  }
  return std::move(e.front());
}

// How much of the history moves, and whether the destination is empty or holds a prefix of it
// with the same bytes (an earlier push that was interrupted). Refuses another history.
Status CompareWithDestination(Push& p) {
  STRATA_ASSIGN_OR_RETURN(Head src, p.source->ReadHead());
  p.count = src.seq;
  if (src.seq > 0) {
    // A shared log that already moved here (a push run again) moves without its relocation.
    STRATA_ASSIGN_OR_RETURN(LogEntry top, EntryAt(*p.source, src.seq));
    pb::Commit c;
    if (c.ParseFromString(top.payload) && c.has_relocation()) {
      if (c.relocation().to() != p.location) {
        return Status::FailedPrecondition(fmt::format(
            "this log moved to {} already (commit {}); push from there, or set `log: {}` in "
            "strata.yaml",
            c.relocation().to(), src.seq, c.relocation().to()));
      }
      p.relocation_seq = src.seq;
      p.count = src.seq - 1;
    }
  }
  STRATA_ASSIGN_OR_RETURN(Head dst, p.dest->ReadHead());
  if (dst.seq == 0) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(LogEntry their_first, EntryAt(*p.dest, 1));
  if (p.count == 0) {
    return Status::FailedPrecondition(fmt::format(
        "{} holds a log already (first commit {}) and this one is empty; nothing was copied. "
        "Push to an empty store, or point strata.yaml's log: at that one",
        p.dest->Describe(), Short(their_first.hash)));
  }
  STRATA_ASSIGN_OR_RETURN(LogEntry our_first, EntryAt(*p.source, 1));
  if (their_first.hash != our_first.hash) {
    return Status::FailedPrecondition(fmt::format(
        "{} holds another log: its first commit is {}, this log's is {}; nothing was copied. "
        "Push to an empty store (another log name or table), or set `log: {}` in strata.yaml "
        "to work on that log instead",
        p.dest->Describe(), Short(their_first.hash), Short(our_first.hash), p.location));
  }
  if (dst.seq > p.count) {
    return Status::FailedPrecondition(fmt::format(
        "{} holds {} commits, more than this log's {}: it has gone on without this copy; "
        "nothing was copied. Set `log: {}` in strata.yaml to work on it",
        p.dest->Describe(), dst.seq, p.count, p.location));
  }
  // Every commit it holds must be this log's, byte for byte.
  for (uint64_t from = 1; from <= dst.seq;) {
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> theirs, p.dest->Read(from, kPage));
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> ours, p.source->Read(from, kPage));
    for (size_t i = 0; i < theirs.size() && theirs[i].seq <= dst.seq; ++i) {
      if (i >= ours.size() || ours[i].hash != theirs[i].hash) {
        return Status::FailedPrecondition(fmt::format(
            "{} differs from this log at commit {}; nothing was copied. Push to an empty store",
            p.dest->Describe(), theirs[i].seq));
      }
    }
    if (theirs.empty()) break;
    from = theirs.back().seq + 1;
  }
  p.already = dst.seq;
  return Status::Ok();
}

// A shared log records where it went before anything is copied, so a writer still pointed at it
// is refused from now on instead of appending commits the copy would miss.
Status RecordRelocation(Push& p) {
  if (p.ctx.project.log_url.empty() || p.relocation_seq != 0) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(p.ctx));
  STRATA_ASSIGN_OR_RETURN(
      auto stored, recorder->Record([&p](const record::HeadState&) {
        return Result<std::optional<record::Draft>>(std::optional<record::Draft>(
            record::Draft::Relocate(p.location, "the log moved to " + p.location)));
      }));
  if (!stored) return Status::Internal("the relocation commit was not recorded");
  p.relocation_seq = stored->commit.seq();
  p.count = p.relocation_seq - 1;
  // Pulled into the mirror by the recording; the mirror is the source of the copy.
  STRATA_ASSIGN_OR_RETURN(Head mirrored, p.source->ReadHead());
  if (mirrored.seq < p.count) {
    return Status::Unavailable(fmt::format(
        "the local mirror stops at seq {} before the relocation commit {}; run `strata log "
        "push {}` again to finish",
        mirrored.seq, p.relocation_seq, p.location));
  }
  return Status::Ok();
}

Status CopyEntries(Push& p) {
  const bool progress = !p.ctx.json && p.count - p.already > kPage;
  for (uint64_t from = p.already + 1; from <= p.count;) {
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> page, p.source->Read(from, kPage));
    if (page.empty()) break;
    for (const LogEntry& e : page) {
      if (e.seq > p.count) break;
      auto r = p.dest->Append(e.seq, e.payload);
      if (!r.ok() && r.status().code() == Code::kConflict) {
        // Another push of the same history got there first: the entry must be this one.
        STRATA_ASSIGN_OR_RETURN(LogEntry there, EntryAt(*p.dest, e.seq));
        if (there.hash != e.hash) {
          return Status::FailedPrecondition(fmt::format(
              "{} took another commit {} while this push was copying; the copy stops there",
              p.dest->Describe(), e.seq));
        }
      } else if (!r.ok()) {
        return r.status().WithContext(fmt::format(
            "copying commit {} to {} (run `strata log push {}` again to go on from there)",
            e.seq, p.dest->Describe(), p.location));
      }
    }
    from = page.back().seq + 1;
    if (progress) {
      p.ctx.Note(fmt::format("  copied {} of {} commits", std::min(from - 1, p.count), p.count));
    }
  }
  return Status::Ok();
}

// Reads the copy back: dense, chained, and the same bytes as the source.
Status VerifyCopy(Push& p) {
  uint64_t seen = 0;
  std::vector<LogEntry> ours;
  size_t at = 0;
  Status s = ScanStore(*p.dest, Head{}, kPage, [&](const LogEntry& e, const pb::Commit&) -> Status {
    if (e.seq > p.count) return Status::Ok();
    if (at >= ours.size()) {
      STRATA_ASSIGN_OR_RETURN(ours, p.source->Read(e.seq, kPage));
      at = 0;
    }
    if (at >= ours.size() || ours[at].seq != e.seq || ours[at].hash != e.hash) {
      return Status::Corruption(fmt::format("reading the copy back: commit {} differs", e.seq));
    }
    ++at;
    seen = e.seq;
    return Status::Ok();
  });
  STRATA_RETURN_IF_ERROR(s.WithContext(p.dest->Describe()));
  if (seen != p.count) {
    return Status::Corruption(fmt::format("reading the copy back: {} ends at seq {}, not {}",
                                          p.dest->Describe(), seen, p.count));
  }
  return Status::Ok();
}

// The value as a YAML scalar: plain when it reads back the same, else double-quoted.
std::string YamlScalar(const std::string& v) {
  const bool plain = !v.empty() && v.find(": ") == std::string::npos &&
                     v.find(" #") == std::string::npos &&
                     std::string_view("&*!|>'\"%@`{[#-?,").find(v[0]) == std::string_view::npos;
  if (plain) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

// Replaces the top-level log: line of `text` with `log: VALUE` (every other byte kept), or adds
// one after the version: line (or first) when there is none.
std::string WithLogLine(const std::string& text, const std::string& value) {
  const std::string line = "log: " + YamlScalar(value);
  size_t at = 0, after_version = std::string::npos;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view l(text.data() + at, end - at);
    if (l.rfind("log:", 0) == 0) return text.substr(0, at) + line + text.substr(end);
    if (l.rfind("version:", 0) == 0) after_version = end == text.size() ? end : end + 1;
    at = end + 1;
  }
  if (after_version != std::string::npos) {
    std::string head = text.substr(0, after_version);
    if (!head.empty() && head.back() != '\n') head += '\n';
    return head + line + "\n" + text.substr(after_version);
  }
  return line + "\n" + text;
}

namespace {

Status SwitchConfig(Push& p) {
  const std::string path = p.ctx.project.config_path.empty()
                               ? (fs::path(p.ctx.project.root) / "strata.yaml").string()
                               : p.ctx.project.config_path;
  std::string text = "version: 1\n";
  if (p.ctx.env->Exists(path)) {
    STRATA_ASSIGN_OR_RETURN(text, p.ctx.env->ReadFile(path));
  }
  return p.ctx.env->WriteFileAtomic(path, WithLogLine(text, p.location));
}

// A new shared log's mirror starts as a copy of the bytes just pushed, then a pull checks it
// against the store.
Status SeedMirror(Push& p) {
  if (!p.to_url) return Status::Ok();
  const std::string dir = MirrorDirFor(p.ctx.project.root, p.location);
  STRATA_ASSIGN_OR_RETURN(auto mirror, OpenDirectory(p.ctx, dir));
  auto* local = static_cast<LocalLogStore*>(mirror.get());
  STRATA_ASSIGN_OR_RETURN(Head head, local->ReadHead());
  for (uint64_t from = head.seq + 1; from <= p.count;) {
    STRATA_ASSIGN_OR_RETURN(std::vector<LogEntry> page, p.source->Read(from, kPage));
    std::vector<std::string> bytes;
    for (LogEntry& e : page) {
      if (e.seq <= p.count) bytes.push_back(std::move(e.payload));
    }
    if (bytes.empty()) break;
    STRATA_RETURN_IF_ERROR(local->AppendBatch(from, bytes).status());
    from += bytes.size();
  }
  return PullMirror(p.ctx, *p.dest, dir, false).status();
}

}  // namespace

CommandResult RunLogPush(Context& ctx) {
  const CommandFlags spec = LogPushFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& pos = spec.positional;
  auto vm = ParseArgs(ctx, o, pos);
  if (!vm.count("location")) throw UsageError{"log push needs a LOCATION (a store URL or a directory)"};
  Push p(ctx);
  STRATA_RETURN_IF_ERROR(ParseLocation(p, vm["location"].as<std::string>()));
  if (!ctx.project.log_url.empty() &&
      (p.location == ctx.project.log_written || p.location == ctx.project.log_url)) {
    return Status::InvalidArgument(fmt::format("{} is the project's log already", p.location));
  }
  STRATA_RETURN_IF_ERROR(OpenSource(p));
  STRATA_RETURN_IF_ERROR(OpenDestination(p));
  STRATA_RETURN_IF_ERROR(CompareWithDestination(p));
  STRATA_RETURN_IF_ERROR(RecordRelocation(p));
  STRATA_RETURN_IF_ERROR(CopyEntries(p));
  STRATA_RETURN_IF_ERROR(VerifyCopy(p));
  STRATA_RETURN_IF_ERROR(SwitchConfig(p));
  STRATA_RETURN_IF_ERROR(SeedMirror(p));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"log", p.location},
                   {"store", p.dest->Describe()},
                   {"commits", p.count},
                   {"copied", p.count - p.already},
                   {"relocation_seq", p.relocation_seq == 0 ? json(nullptr) : json(p.relocation_seq)}});
  } else {
    *ctx.out << fmt::format("Copied {} of {} commits to {} and checked them; strata.yaml now "
                            "says log: {}\n",
                            p.count - p.already, p.count, p.dest->Describe(), p.location);
    if (p.relocation_seq != 0) {
      *ctx.out << fmt::format("The old log records the move (commit {}); writers still pointed "
                              "at it are told where the log went\n",
                              p.relocation_seq);
    }
  }
  return kExitOk;
}

CommandFlags LogPushFlags() {
  CommandFlags f{po::options_description("log push options"), {}};
  po::options_description& o = f.options;
  o.add_options()("location", po::value<std::string>(), "a store URL or a directory");
  po::positional_options_description& pos = f.positional;
  pos.add("location", 1);
  return f;
}

}  // namespace strata::cli
