// The check every fuzz input of the log reader goes through (log_segment_fuzz.cc and the seed
// replay, fuzz_seeds_test.cc). The input is the bytes of a log's segment files, split at
// kSegmentBreak (segment 1, 2, ...), laid out in a MemoryEnv. The contract (engine/log/log.h):
//   - Open, Scan, ReadAt and ReadLast give Ok or Corruption "segment N at offset M: ..." — never
//     a crash, another code or a message without the place;
//   - every record a scan visits reads back the same through ReadAt at its position;
//   - after a clean scan, ReadLast is the scan's last record (nothing for an empty log);
//   - a writer that opens a log that scans (cutting a torn tail) leaves one that scans to the
//     same records, and a record it appends is read back as the last one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/log/log.h"
#include "engine/log/segment.h"
#include "tests/fuzz/memory_env.h"

namespace strata::fuzz {

inline constexpr std::string_view kSegmentBreak = "STRATA-FUZZ-SEGMENT-BREAK";
inline constexpr char kLogDir[] = "log";

// The segment files of `input`: the parts between kSegmentBreak, numbered from 1.
inline std::vector<std::string_view> SegmentsOf(std::string_view input) {
  std::vector<std::string_view> parts;
  for (size_t at = input.find(kSegmentBreak); at != std::string_view::npos;
       at = input.find(kSegmentBreak)) {
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kSegmentBreak.size());
  }
  parts.push_back(input);
  return parts;
}

// "" for a status the reader may give damaged bytes, else what is wrong with it.
inline std::string BadLogError(std::string_view call, const Status& status) {
  if (status.ok()) return "";
  if (status.code() != Code::kCorruption || !status.message().starts_with("segment ") ||
      status.message().find(" at offset ") == std::string::npos) {
    return std::string(call) + " gave an error that is not Corruption naming the segment and " +
           "offset: " + status.ToString();
  }
  return "";
}

struct ScannedLog {
  Status status;
  std::vector<std::pair<RecordPosition, std::string>> records;  // up to where the scan stopped
};

inline ScannedLog ScanAll(Env* env) {
  ScannedLog scanned;
  auto reader = LogReader::Open(env, kLogDir);
  if (!reader.ok()) {
    scanned.status = reader.status();
    return scanned;
  }
  scanned.status = (*reader)->Scan({}, [&](const RecordPosition& at, std::string_view payload) {
    scanned.records.emplace_back(at, std::string(payload));
    return Status::Ok();
  });
  return scanned;
}

inline std::string LogSegmentViolation(std::string_view input) {
  MemoryEnv env;
  (void)env.CreateDirs(kLogDir);
  const std::vector<std::string_view> segments = SegmentsOf(input);
  for (size_t i = 0; i < segments.size(); ++i) {
    env.Put(log_internal::SegmentPath(kLogDir, static_cast<uint32_t>(i + 1)), segments[i]);
  }

  auto reader = LogReader::Open(&env, kLogDir);
  if (!reader.ok()) return BadLogError("LogReader::Open", reader.status());
  const ScannedLog scanned = ScanAll(&env);
  if (std::string bad = BadLogError("Scan", scanned.status); !bad.empty()) return bad;
  for (const auto& [at, payload] : scanned.records) {
    auto again = (*reader)->ReadAt(at);
    if (!again.ok()) return "ReadAt a scanned record failed: " + again.status().ToString();
    if (*again != payload) return "ReadAt gave other bytes than the scan at the same position";
  }
  auto last = (*reader)->ReadLast();
  if (!last.ok()) {
    if (std::string bad = BadLogError("ReadLast", last.status()); !bad.empty()) return bad;
    if (scanned.status.ok()) return "ReadLast failed on a log that scans: " + last.status().ToString();
  } else if (scanned.status.ok()) {
    if (scanned.records.empty() != !last->has_value()) {
      return "ReadLast and the scan disagree on whether the log is empty";
    }
    if (last->has_value() && ((*last)->first != scanned.records.back().first ||
                              (*last)->second != scanned.records.back().second)) {
      return "ReadLast is not the scan's last record";
    }
  }
  reader->reset();

  LogOptions options;
  // Training a dictionary reads back megabytes of payloads: a few runs a second instead of
  // hundreds. Reading the dictionaries already in the input is fuzzed all the same.
  options.dictionary_bytes = 0;
  auto writer = LogWriter::Open(&env, kLogDir, options);
  if (!writer.ok()) {
    if (writer.status().code() == Code::kCorruption) return "";
    return "LogWriter::Open gave an error that is not Corruption: " + writer.status().ToString();
  }
  constexpr std::string_view kAppended = "appended by the fuzz check";
  auto appended = (*writer)->Append(kAppended);
  if (!appended.ok()) return "Append after recovery failed: " + appended.status().ToString();
  writer->reset();
  const ScannedLog recovered = ScanAll(&env);
  if (!scanned.status.ok()) {
    // A writer checks the frames of the last segment only (log.h): damage before it stays for
    // a scan to find.
    return BadLogError("Scan after recovery", recovered.status);
  }
  if (!recovered.status.ok()) {
    return "the log a writer opened does not scan: " + recovered.status.ToString();
  }
  if (recovered.records.empty() || recovered.records.back().second != kAppended) {
    return "the appended record is not the log's last";
  }
  {
    if (recovered.records.size() != scanned.records.size() + 1) {
      return "recovery changed how many records the log holds";
    }
    for (size_t i = 0; i < scanned.records.size(); ++i) {
      if (recovered.records[i] != scanned.records[i]) return "recovery changed a whole record";
    }
  }
  return "";
}

}  // namespace strata::fuzz
