// The head witness file, version 1 (docs/log-format.md has the table):
//   0 magic (8) | 8 version u32 | 12 seq u64 | 20 hash (32) | 52 segment u32 | 56 offset u64
//   | 64 stored size u32 | 68 masked CRC-32C of bytes 0..67
#include "engine/store/head_witness.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "engine/log/crc32c.h"
#include "engine/log/log_format.h"

namespace strata {
namespace {

// Like the segment magic (high bit, newline) but never mistaken for a segment.
constexpr char kWitnessMagic[8] = {'\x89', 'S', 'H', 'E', 'A', 'D', '\r', '\n'};
constexpr size_t kCrcOffset = kWitnessSize - 4;

// Why `b` is not a witness this build reads; empty when it is one.
std::string Problem(std::string_view b) {
  if (b.size() != kWitnessSize) {
    return fmt::format("{} bytes where {} were expected", b.size(), kWitnessSize);
  }
  if (std::memcmp(b.data(), kWitnessMagic, sizeof kWitnessMagic) != 0) return "bad magic";
  if (crc32c::Unmask(log_format::DecodeFixed32(b.data() + kCrcOffset)) !=
      crc32c::Value(b.substr(0, kCrcOffset))) {
    return "checksum mismatch";
  }
  const uint32_t version = log_format::DecodeFixed32(b.data() + 8);
  if (version != kWitnessVersion) {
    return fmt::format("unsupported format version {}; this build reads {}", version,
                       kWitnessVersion);
  }
  if (log_format::DecodeFixed64(b.data() + 12) == 0) return "seq 0";
  return "";
}

}  // namespace

std::string WitnessPath(const std::string& dir) { return dir + "/" + kWitnessFileName; }

std::string EncodeWitness(const Witness& w) {
  std::string out(kWitnessMagic, sizeof kWitnessMagic);
  log_format::PutFixed32(&out, kWitnessVersion);
  log_format::PutFixed64(&out, w.seq);
  out.append(HashBytes(w.hash));
  log_format::PutFixed32(&out, w.position.segment);
  log_format::PutFixed64(&out, w.position.offset);
  log_format::PutFixed32(&out, w.position.stored_size);
  log_format::PutFixed32(&out, crc32c::Mask(crc32c::Value(out)));
  return out;
}

Result<Witness> DecodeWitness(std::string_view b) {
  if (std::string why = Problem(b); !why.empty()) {
    return Status::Corruption(fmt::format("head witness is damaged ({})", why));
  }
  Witness w;
  w.seq = log_format::DecodeFixed64(b.data() + 12);
  std::copy_n(b.data() + 20, w.hash.size(), reinterpret_cast<char*>(w.hash.data()));
  w.position.segment = log_format::DecodeFixed32(b.data() + 52);
  w.position.offset = log_format::DecodeFixed64(b.data() + 56);
  w.position.stored_size = log_format::DecodeFixed32(b.data() + 64);
  return w;
}

Result<std::optional<Witness>> ReadWitness(Env* env, const std::string& dir) {
  const std::string path = WitnessPath(dir);
  auto bytes = env->ReadFile(path);
  if (!bytes.ok()) {
    if (bytes.status().code() == Code::kNotFound) return std::optional<Witness>();
    return bytes.status().WithContext("reading the head witness");
  }
  if (std::string why = Problem(*bytes); !why.empty()) {
    return Status::Corruption(fmt::format(
        "head witness is damaged ({}: {}); if the log reads whole up to the commit you expect, "
        "remove {} (the next append writes a new one), else restore the log from a backup",
        path, why, kWitnessFileName));
  }
  STRATA_ASSIGN_OR_RETURN(Witness w, DecodeWitness(*bytes));
  return std::optional<Witness>(w);
}

Status WriteWitness(Env* env, const std::string& dir, const Witness& witness) {
  return env->WriteFileAtomic(WitnessPath(dir), EncodeWitness(witness));
}

}  // namespace strata
