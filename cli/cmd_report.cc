// strata report [--out FILE]: the history as one self-contained HTML page (docs/report.md).
//
// A list of steps over one Run: read the flags, open the log and resolve the range, gather the
// page's data, render it, and write it to a temporary file beside FILE that is renamed over
// FILE only when whole, so a failed run leaves no file (and no half of one) behind.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>

#include "cli/commands.h"
#include "cli/report_data.h"
#include "cli/report_html.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kDefaultMaxCommits = 100000;
constexpr uint64_t kDefaultMaxObjects = 200;

struct Run {
  Context& ctx;
  po::variables_map vm;
  fs::path out;
  ReportOptions options;
  std::unique_ptr<History> history;
  ReportData data;
  std::string html;
};

// Step 1: flags. Usage errors throw (exit 2).
void ReadFlags(Run& r) {
  const CommandFlags spec = ReportFlags();
  r.vm = ParseArgs(r.ctx, spec.options, spec.positional);
  fs::path out = r.vm["out"].as<std::string>();
  if (out.empty()) throw UsageError{"--out needs a file name"};
  r.out = out.is_absolute() ? out : fs::path(r.ctx.cwd) / out;
  r.options.max_commits = r.vm["max-commits"].as<uint64_t>();
  r.options.max_objects = r.vm["max-objects"].as<uint64_t>();
  if (r.vm.count("objects")) {
    // Repeated, or comma-separated: --objects orders,customers.
    for (const std::string& list : r.vm["objects"].as<std::vector<std::string>>()) {
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (comma > start) r.options.objects.push_back(list.substr(start, comma - start));
        start = comma + 1;
      }
    }
    if (r.options.objects.empty()) throw UsageError{"--objects needs at least one name"};
  }
  r.options.generated_micros = r.ctx.now_micros;
  r.options.scan_progress = r.ctx.Progress("reading the log");
  r.options.detail_progress = r.ctx.Progress("embedding object histories");
}

// Step 2: the log, and the range the flags name.
Status OpenRange(Run& r) {
  STRATA_ASSIGN_OR_RETURN(r.history, OpenHistory(r.ctx));
  STRATA_ASSIGN_OR_RETURN(r.options.until_seq, r.history->Resolve(r.vm["until"].as<std::string>()));
  if (r.vm.count("since")) {
    STRATA_ASSIGN_OR_RETURN(r.options.from_seq,
                            r.history->Resolve(r.vm["since"].as<std::string>()));
  }
  if (r.options.from_seq > r.options.until_seq) {
    return Status::InvalidArgument(fmt::format("--since is seq {}, after --until (seq {})",
                                               r.options.from_seq, r.options.until_seq));
  }
  if (r.out.has_parent_path() && !fs::is_directory(r.out.parent_path())) {
    return Status::NotFound(fmt::format("cannot write {}: no directory {}", r.out.string(),
                                        r.out.parent_path().string()));
  }
  if (fs::is_directory(r.out)) {
    return Status::InvalidArgument(fmt::format("{} is a directory; name a file", r.out.string()));
  }
  return Status::Ok();
}

// Step 3: the page's data and its HTML.
Status Build(Run& r) {
  STRATA_ASSIGN_OR_RETURN(r.data, CollectReport(*r.history, r.options));
  r.html = RenderReportPage(r.data.page, "strata report");
  return Status::Ok();
}

// Step 4: the file, whole or not at all.
Status WriteAtomically(Run& r) {
  const fs::path tmp =
      r.out.parent_path() / fmt::format(".{}.tmp-{}", r.out.filename().string(), ::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << r.html;
    f.flush();
    if (!f) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return Status::IoError(fmt::format("writing {}: cannot write the file", tmp.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, r.out, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return Status::IoError(fmt::format("writing {}: {}", r.out.string(), ec.message()));
  }
  return Status::Ok();
}

// Step 5: what was written: a JSON summary with --json, a line otherwise.
void Summarize(const Run& r) {
  if (r.ctx.json) {
    r.ctx.PrintJson({{"version", 1},
                     {"path", r.out.string()},
                     {"bytes", r.html.size()},
                     {"commits", r.data.commits},
                     {"commits_in_range", r.data.commits_in_range},
                     {"objects", r.data.objects},
                     {"detailed_objects", r.data.detailed_objects},
                     {"deployments", r.data.deployments}});
    return;
  }
  *r.ctx.out << fmt::format(
      "wrote {} ({} KiB): {} commits, {} objects ({} with full history), {} deployments\n",
      r.out.string(), (r.html.size() + 1023) / 1024, r.data.commits, r.data.objects,
      r.data.detailed_objects, r.data.deployments);
}

}  // namespace

CommandResult RunReport(Context& ctx) {
  Run r{ctx, {}, {}, {}, nullptr, {}, {}};
  ReadFlags(r);
  STRATA_RETURN_IF_ERROR(OpenRange(r));
  STRATA_RETURN_IF_ERROR(Build(r));
  STRATA_RETURN_IF_ERROR(WriteAtomically(r));
  Summarize(r);
  return kExitOk;
}

CommandFlags ReportFlags() {
  CommandFlags f{po::options_description("report options"), {}};
  po::options_description& o = f.options;
  o.add_options()("out,o", po::value<std::string>()->default_value("strata-report.html"),
                  "the HTML file to write")("since", po::value<std::string>(),
                                            "the timeline starts at this ref (default: seq 1)")(
      "until", po::value<std::string>()->default_value("HEAD"),
      "the report shows history up to this ref")(
      "max-commits", po::value<uint64_t>()->default_value(kDefaultMaxCommits),
      "the timeline holds at most the newest N commits of the range (0: all)")(
      "objects", po::value<std::vector<std::string>>()->composing(),
      "embed these objects' full histories (repeat, or separate with commas)")(
      "max-objects", po::value<uint64_t>()->default_value(kDefaultMaxObjects),
      "without --objects, embed the full histories of the N most recently changed objects "
      "(0: all)");
  return f;
}

}  // namespace strata::cli
