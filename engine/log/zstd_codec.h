// zstd for the log: a compressor and a decompressor that each keep one context for their
// whole life (no per-record allocation), a cache of decoded dictionaries by id, and the
// dictionary trainer. Not thread-safe: one per writer or reader.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace strata::log_codec {

// A dictionary as stored in a DICTIONARY record.
struct Dictionary {
  uint32_t id = 0;
  std::string bytes;
};

class Compressor {
 public:
  // Internal when zstd cannot allocate a context.
  static Result<std::unique_ptr<Compressor>> Create(int level);
  ~Compressor();

  // Compresses with `dictionary` from now on (none when null). Internal when zstd rejects it.
  Status UseDictionary(const Dictionary* dictionary);
  uint32_t dictionary_id() const { return dictionary_id_; }  // 0: none
  // Appends one zstd frame of `payload` to `out`. Internal when zstd fails.
  Status Compress(std::string_view payload, std::string* out);

 private:
  explicit Compressor(int level) : level_(level) {}
  int level_;
  ZSTD_CCtx_s* cctx_ = nullptr;
  ZSTD_CDict_s* cdict_ = nullptr;
  uint32_t dictionary_id_ = 0;
};

// Decoded dictionaries by id, each confirmed against the CRC of the frame that held it.
class DictionaryCache {
 public:
  DictionaryCache() = default;
  DictionaryCache(const DictionaryCache&) = delete;
  DictionaryCache& operator=(const DictionaryCache&) = delete;
  ~DictionaryCache();

  // The cached dictionary when `id` was loaded from a frame with the same CRC, else null.
  const ZSTD_DDict_s* Find(uint32_t id, uint32_t frame_crc) const;
  // Decodes and caches `bytes` under `id`; the error names what zstd disliked.
  Result<const ZSTD_DDict_s*> Add(uint32_t id, uint32_t frame_crc, std::string_view bytes);

 private:
  struct Entry {
    uint32_t frame_crc = 0;
    ZSTD_DDict_s* ddict = nullptr;
  };
  std::map<uint32_t, Entry> entries_;
};

class Decompressor {
 public:
  static Result<std::unique_ptr<Decompressor>> Create();
  ~Decompressor();

  // Decodes one zstd frame into `out` (replacing its contents). InvalidArgument naming the
  // problem ("zstd: Corrupted block detected") when the frame does not decode; the caller
  // adds where it was.
  Status Decompress(std::string_view frame, const ZSTD_DDict_s* dictionary, std::string* out);

 private:
  Decompressor() = default;
  ZSTD_DCtx_s* dctx_ = nullptr;
};

// The uncompressed size a zstd frame declares, or nullopt-like UINT64_MAX when it has none.
uint64_t FrameContentSize(std::string_view frame);

// Trains a dictionary of at most `max_bytes` from `samples`. FailedPrecondition (with zstd's
// reason) when the samples do not make a dictionary (too few, too small).
Result<std::string> TrainDictionary(const std::vector<std::string>& samples, size_t max_bytes);

}  // namespace strata::log_codec
