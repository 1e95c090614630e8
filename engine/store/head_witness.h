// The head witness: a small checksummed file, HEAD, in the log directory, naming the newest
// acknowledged commit (seq, hash, position). In the log alone a damaged or missing newest
// commit looks exactly like a torn write; the witness is the second copy that tells the two
// apart (docs/log-format.md, "The head witness"). Only the log's writer writes it, after the
// log's fsync and before it acknowledges. Pure functions over an Env; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/log/env.h"
#include "engine/log/log.h"
#include "engine/status.h"
#include "engine/store/hash.h"

namespace strata {

inline constexpr char kWitnessFileName[] = "HEAD";
inline constexpr uint32_t kWitnessVersion = 1;
inline constexpr size_t kWitnessSize = 72;

struct Witness {
  uint64_t seq = 0;
  Hash hash{};
  RecordPosition position;  // where the commit's record starts, to check it without a scan

  friend bool operator==(const Witness&, const Witness&) = default;
};

std::string WitnessPath(const std::string& dir);

// The 72 bytes of the file (docs/log-format.md).
std::string EncodeWitness(const Witness& witness);
// Corruption "head witness is damaged (WHY)" for bytes that are not a witness this build reads.
Result<Witness> DecodeWitness(std::string_view bytes);

// The witness of the log in `dir`; nullopt when there is none (a log written before witnesses
// existed, an empty log, or a deleted file). Corruption naming the file when it is damaged;
// IoError when it cannot be read.
Result<std::optional<Witness>> ReadWitness(Env* env, const std::string& dir);
// Replaces the witness atomically (temporary file, fsync, rename, fsync of the directory), so
// a crash leaves the old witness or the new one, never a mix.
Status WriteWitness(Env* env, const std::string& dir, const Witness& witness);

}  // namespace strata
