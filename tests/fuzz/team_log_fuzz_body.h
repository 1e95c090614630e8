// The check every fuzz input of what a shared log's store returns goes through (team_log_fuzz.cc
// and the seed replay, fuzz_seeds_test.cc). The first byte picks what the rest is:
//   0  an S3 ListObjectsV2 answer: ParseListObjectsV2 gives keys or InvalidArgument, and keys
//      written into a listing (with the five entities) read back the same;
//   1  the mirror's PULLED file: ReadPullState reads it or says there is none, never throws;
//   2+ entries a store returns (records.h), pulled into a mirror (engine/store/mirror.h) that
//      first holds some entries of its own, as the first byte says (PullFlags). Pull gives Ok or
//      Corruption — never a crash — and whatever it did, the mirror stays a valid log (it scans
//      with its hash chain whole) that holds a prefix of the store's entries, all of them after
//      an Ok pull.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/aws/s3_client.h"
#include "cli/mirror.h"
#include "engine/store/commit_store.h"
#include "engine/store/local_log_store.h"
#include "engine/store/mirror.h"
#include "tests/fuzz/aws_errors_fuzz_body.h"
#include "tests/fuzz/memory_env.h"
#include "tests/fuzz/records.h"

namespace strata::fuzz {

// A store that answers with the entries it was given, numbered from 1, hashed as they are
// unless `bad_hash_at` names one whose hash it gets wrong.
class ScriptedStore final : public LogStore {
 public:
  ScriptedStore(const std::vector<std::string_view>& payloads, uint64_t bad_hash_at) {
    for (size_t i = 0; i < payloads.size(); ++i) {
      LogEntry e{i + 1, std::string(payloads[i]), Sha256(payloads[i])};
      if (e.seq == bad_hash_at) e.hash[0] ^= 1;
      entries_.push_back(std::move(e));
    }
  }
  std::string Describe() const override { return "scripted store"; }
  bool shared() const override { return true; }
  Result<Head> ReadHead() override {
    if (entries_.empty()) return Head{};
    return Head{entries_.back().seq, entries_.back().hash, std::nullopt};
  }
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    std::vector<LogEntry> out;
    for (uint64_t seq = std::max<uint64_t>(from, 1); seq <= entries_.size() && out.size() < limit;
         ++seq) {
      out.push_back(entries_[seq - 1]);
    }
    return out;
  }
  Result<Head> Append(uint64_t seq, std::string_view payload) override {
    return Status::Unimplemented("a scripted store takes no appends");
  }
  Status ProbeConditionalWrites() override { return Status::Ok(); }
  const std::vector<LogEntry>& entries() const { return entries_; }

 private:
  std::vector<LogEntry> entries_;
};

// What the first byte of a pull input says, bit by bit.
struct PullFlags {
  size_t mirror_holds;    // bits 0-1: entries the mirror holds before the pull
  bool mirror_from_tail;  // bit 2: those are the store's last entries, not its first
  bool bad_hash;          // bit 3: the store gets the last entry's hash wrong
  size_t page;            // bits 4-5: entries per read: 1, 2, 3 or 256
};

inline PullFlags PullFlagsOf(uint8_t byte) {
  static constexpr size_t kPages[] = {1, 2, 3, 256};
  return {byte & 3u, (byte & 4) != 0, (byte & 8) != 0, kPages[byte >> 4 & 3]};
}

inline std::string ListingViolation(std::string_view xml) {
  Result<aws::S3ListPage> page = aws::ParseListObjectsV2(xml);
  if (!page.ok() && page.status().code() != Code::kInvalidArgument) {
    return "ParseListObjectsV2 gave an error that is not InvalidArgument: " +
           page.status().ToString();
  }
  std::vector<std::string> keys;
  for (std::string_view key : SplitRecords(xml)) keys.emplace_back(key);
  std::string listing = "<ListBucketResult><IsTruncated>false</IsTruncated>";
  for (const std::string& key : keys) listing += "<Contents><Key>" + XmlEscape(key) + "</Key></Contents>";
  listing += "</ListBucketResult>";
  Result<aws::S3ListPage> again = aws::ParseListObjectsV2(listing);
  if (!again.ok() || again->keys != keys) return "written keys do not read back: " + listing;
  return "";
}

inline std::string PullViolation(uint8_t flag_byte, std::string_view input) {
  const PullFlags flags = PullFlagsOf(flag_byte);
  const std::vector<std::string_view> payloads = SplitRecords(input);
  ScriptedStore store(payloads, flags.bad_hash ? payloads.size() : 0);
  MemoryEnv env;
  LocalLogStoreOptions options;
  options.env = &env;
  options.dir = "mirror";
  auto mirror = LocalLogStore::Open(options);
  if (!mirror.ok()) return "the mirror does not open: " + mirror.status().ToString();

  const size_t held = std::min(flags.mirror_holds, payloads.size());
  std::vector<std::string> own;
  for (size_t i = 0; i < held; ++i) {
    own.emplace_back(payloads[flags.mirror_from_tail ? payloads.size() - held + i : i]);
  }
  if (!own.empty() && !(*mirror)->AppendBatch(1, own).ok()) own.clear();  // they do not chain

  PullOptions pull;
  pull.page = flags.page;
  Result<PullReport> report = Pull(store, **mirror, pull);
  if (!report.ok() && report.status().code() != Code::kCorruption) {
    return "Pull gave an error that is not Corruption: " + report.status().ToString();
  }

  auto reader = CommitReader::Open(&env, "mirror");
  if (!reader.ok()) return "the mirror does not open for reading: " + reader.status().ToString();
  std::vector<std::string> mirrored;
  const Status scanned = (*reader)->Scan({}, [&](const ScannedCommit& c) {
    mirrored.push_back(c.commit.SerializeAsString());
    return Status::Ok();
  });
  if (!scanned.ok()) return "the mirror is not a valid log after a pull: " + scanned.ToString();
  auto entries = (*mirror)->Read(1, 1 << 20);
  if (!entries.ok()) return "the mirror cannot be read: " + entries.status().ToString();
  const bool diverged = !own.empty() && flags.mirror_from_tail && held < payloads.size();
  for (const LogEntry& e : *entries) {
    if (e.seq > store.entries().size() || e.payload != store.entries()[e.seq - 1].payload) {
      if (diverged && e.seq <= own.size()) continue;  // its own entries, refused by the pull
      return "the mirror holds an entry the store does not have at seq " + std::to_string(e.seq);
    }
  }
  if (report.ok() && entries->size() != store.entries().size()) {
    return "an Ok pull left the mirror with " + std::to_string(entries->size()) + " of the " +
           std::to_string(store.entries().size()) + " entries";
  }
  return "";
}

inline std::string TeamLogViolation(std::string_view input) {
  if (input.empty()) return "";
  const uint8_t mode = static_cast<uint8_t>(input[0]);
  input.remove_prefix(1);
  if (mode == 0) return ListingViolation(input);
  if (mode == 1) {
    MemoryEnv env;
    env.Put("mirror/PULLED", input);
    (void)cli::ReadPullState(&env, "mirror");
    return "";
  }
  return PullViolation(mode, input);
}

}  // namespace strata::fuzz
