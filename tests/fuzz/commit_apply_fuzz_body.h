// The check every fuzz input of commit decoding and Apply goes through (commit_apply_fuzz.cc and
// the seed replay, fuzz_seeds_test.cc). The input is a series of stored commit payloads
// (records.h), applied in order from an empty state, so the first ones build the state the later
// ones meet (the seeds are real histories). For each payload, the contract:
//   - DecodeCommit gives a commit or Corruption "... record is not a commit";
//   - ApplyCommit gives Ok or an error value, never a crash; Internal (a bug in strata) only
//     for a commit ValidateCommit refuses (the log's readers check that first);
//   - a failed apply leaves the state exactly as it was (all or nothing), and the replay mode
//     that discards its state on failure gives the same outcome, and the same state on success;
//   - a successful apply sets the state's seq to the commit's.
// Failed commits are skipped, as a reader that stops there would; the next one meets the state.
#pragma once

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <string_view>

#include "engine/state/apply.h"
#include "engine/state/validate.h"
#include "engine/store/commit_store.h"
#include "tests/fuzz/records.h"

namespace strata::fuzz {

inline std::string CommitApplyViolation(std::string_view input) {
  using google::protobuf::util::MessageDifferencer;
  pb::State state;
  uint64_t offset = 0;
  for (std::string_view payload : SplitRecords(input)) {
    const RecordPosition at{1, offset, 0};
    offset += payload.size();
    Result<StoredCommit> decoded = DecodeCommit(at, payload);
    if (!decoded.ok()) {
      if (decoded.status().code() != Code::kCorruption) {
        return "DecodeCommit gave an error that is not Corruption: " + decoded.status().ToString();
      }
      continue;
    }
    const pb::Commit& commit = decoded->commit;
    const Status valid = ValidateCommit(commit);
    pb::State restored = state, discarded = state;
    const Status applied = ApplyCommit(commit, &restored, OnFailure::kRestore);
    const Status applied_discarding = ApplyCommit(commit, &discarded, OnFailure::kDiscard);
    if (applied.code() != applied_discarding.code() ||
        applied.message() != applied_discarding.message()) {
      return "the two failure modes disagree: " + applied.ToString() + " against " +
             applied_discarding.ToString();
    }
    if (!applied.ok()) {
      if (applied.code() == Code::kInternal && valid.ok()) {
        return "a valid commit made Apply report a bug: " + applied.ToString() + "\n" +
               commit.ShortDebugString();
      }
      if (!MessageDifferencer::Equals(restored, state)) {
        return "a failed apply changed the state: " + applied.ToString();
      }
      continue;
    }
    if (restored.seq() != commit.seq()) return "a successful apply did not set the seq";
    if (!MessageDifferencer::Equals(restored, discarded)) {
      return "the two failure modes reached different states";
    }
    state = std::move(restored);
  }
  return "";
}

}  // namespace strata::fuzz
