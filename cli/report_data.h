// What `strata report` puts in its page: the commits, every object's summary, the full history
// of a bounded set of objects, deployments and tags, gathered from the log in one pass and
// shaped as the compact JSON the page reads (docs/report.md describes the shape and its bounds).
//
// The page must stay small for long histories, so only the chosen objects carry their text at
// every change; the others carry the seqs that touched them. Not thread-safe (it reads History).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/history/history.h"
#include "engine/status.h"

namespace strata::cli {

struct ReportOptions {
  // The timeline holds commits with from_seq <= seq <= until_seq, at most `max_commits` of them
  // (the newest; 0: no limit). Objects' summaries and histories always start at seq 1.
  uint64_t from_seq = 1;
  uint64_t until_seq = 0;
  uint64_t max_commits = 0;
  // Objects whose text is embedded at every change (their history, blame and diffs). Empty:
  // the `max_objects` most recently changed ones.
  std::vector<std::string> objects;
  uint64_t max_objects = 0;
  // The time the page says it was made at (microseconds since the epoch).
  int64_t generated_micros = 0;
  // Called now and then with (done, total): commits read in the pass over the log, then objects
  // whose histories are embedded; each called once more with done == total. Null: none.
  std::function<void(uint64_t, uint64_t)> scan_progress;
  std::function<void(uint64_t, uint64_t)> detail_progress;
};

struct ReportData {
  nlohmann::json page;            // the document the page reads
  uint64_t commits = 0;           // in the timeline
  uint64_t commits_in_range = 0;  // before max_commits
  uint64_t objects = 0;           // summarized
  uint64_t detailed_objects = 0;  // with full histories
  uint64_t deployments = 0;
};

// Reads the log up to options.until_seq once and the chosen objects' commits again.
// NotFound when an object named in options.objects was never recorded; Corruption from the log.
Result<ReportData> CollectReport(History& history, const ReportOptions& options);

// The lines of `after` as an edit of `before`: hunks [at, deleted, [added lines]], in order,
// each replacing `deleted` lines of `before` from line `at` (0-based) with the added ones. The
// page rebuilds each version from the previous one, and blames lines through these edits.
nlohmann::json LineEdit(const std::vector<std::string>& before,
                        const std::vector<std::string>& after);

// `text` split at '\n' (a final newline does not start another line).
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace strata::cli
