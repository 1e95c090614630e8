#include "engine/log/zstd_codec.h"

#include <zdict.h>
#include <zstd.h>

#include <fmt/format.h>

#include "engine/log/log_format.h"

namespace strata::log_codec {

// ---- Compressor ---------------------------------------------------------------------------

Result<std::unique_ptr<Compressor>> Compressor::Create(int level) {
  std::unique_ptr<Compressor> c(new Compressor(level));
  c->cctx_ = ZSTD_createCCtx();
  if (c->cctx_ == nullptr) return Status::Internal("zstd: cannot allocate a compression context");
  // The frame CRC covers the bytes and the record names the dictionary, so zstd's own
  // checksum and dictionary id would be dead weight.
  ZSTD_CCtx_setParameter(c->cctx_, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(c->cctx_, ZSTD_c_checksumFlag, 0);
  ZSTD_CCtx_setParameter(c->cctx_, ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_setParameter(c->cctx_, ZSTD_c_dictIDFlag, 0);
  return c;
}

Compressor::~Compressor() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeCCtx(cctx_);
}

Status Compressor::UseDictionary(const Dictionary* dictionary) {
  ZSTD_CDict* next = nullptr;
  if (dictionary != nullptr) {
    next = ZSTD_createCDict(dictionary->bytes.data(), dictionary->bytes.size(), level_);
    if (next == nullptr) {
      return Status::Internal(fmt::format("zstd: dictionary {} is not usable", dictionary->id));
    }
  }
  const size_t rc = ZSTD_CCtx_refCDict(cctx_, next);
  if (ZSTD_isError(rc)) {
    ZSTD_freeCDict(next);
    return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(rc));
  }
  ZSTD_freeCDict(cdict_);
  cdict_ = next;
  dictionary_id_ = dictionary == nullptr ? 0 : dictionary->id;
  return Status::Ok();
}

Status Compressor::Compress(std::string_view payload, std::string* out) {
  const size_t start = out->size();
  out->resize(start + ZSTD_compressBound(payload.size()));
  const size_t n = ZSTD_compress2(cctx_, out->data() + start, out->size() - start,
                                  payload.data(), payload.size());
  if (ZSTD_isError(n)) {
    out->resize(start);
    return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
  }
  out->resize(start + n);
  return Status::Ok();
}

// ---- DictionaryCache ----------------------------------------------------------------------

DictionaryCache::~DictionaryCache() {
  for (auto& [id, e] : entries_) ZSTD_freeDDict(e.ddict);
}

const ZSTD_DDict* DictionaryCache::Find(uint32_t id, uint32_t frame_crc) const {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.frame_crc != frame_crc) return nullptr;
  return it->second.ddict;
}

Result<const ZSTD_DDict*> DictionaryCache::Add(uint32_t id, uint32_t frame_crc,
                                               std::string_view bytes) {
  ZSTD_DDict* ddict = ZSTD_createDDict(bytes.data(), bytes.size());
  if (ddict == nullptr) {
    return Status::InvalidArgument(fmt::format("zstd cannot load dictionary {}", id));
  }
  Entry& e = entries_[id];
  ZSTD_freeDDict(e.ddict);
  e = Entry{frame_crc, ddict};
  return static_cast<const ZSTD_DDict*>(ddict);
}

// ---- Decompressor -------------------------------------------------------------------------

Result<std::unique_ptr<Decompressor>> Decompressor::Create() {
  std::unique_ptr<Decompressor> d(new Decompressor());
  d->dctx_ = ZSTD_createDCtx();
  if (d->dctx_ == nullptr) {
    return Status::Internal("zstd: cannot allocate a decompression context");
  }
  return d;
}

Decompressor::~Decompressor() { ZSTD_freeDCtx(dctx_); }

uint64_t FrameContentSize(std::string_view frame) {
  const unsigned long long n = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR) return UINT64_MAX;
  return n;
}

Status Decompressor::Decompress(std::string_view frame, const ZSTD_DDict* dictionary,
                                std::string* out) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR) return Status::InvalidArgument("not a zstd frame");
  if (size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::InvalidArgument("zstd frame without a content size");
  }
  if (size > log_format::kMaxPayloadBytes) {
    return Status::InvalidArgument(fmt::format("zstd frame declares {} bytes", size));
  }
  out->resize(size);
  const size_t n =
      dictionary != nullptr
          ? ZSTD_decompress_usingDDict(dctx_, out->data(), size, frame.data(), frame.size(),
                                       dictionary)
          : ZSTD_decompressDCtx(dctx_, out->data(), size, frame.data(), frame.size());
  if (ZSTD_isError(n)) {
    out->clear();
    return Status::InvalidArgument(std::string("zstd: ") + ZSTD_getErrorName(n));
  }
  if (n != size) {
    out->clear();
    return Status::InvalidArgument(
        fmt::format("zstd frame decoded to {} bytes, not the {} it declares", n, size));
  }
  return Status::Ok();
}

// ---- Training -----------------------------------------------------------------------------

Result<std::string> TrainDictionary(const std::vector<std::string>& samples, size_t max_bytes) {
  std::string joined;
  std::vector<size_t> sizes;
  sizes.reserve(samples.size());
  size_t total = 0;
  for (const std::string& s : samples) total += s.size();
  joined.reserve(total);
  for (const std::string& s : samples) {
    if (s.empty()) continue;
    joined.append(s);
    sizes.push_back(s.size());
  }
  std::string dict(max_bytes, '\0');
  const size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), joined.data(), sizes.data(),
                                         static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) {
    return Status::FailedPrecondition(
        fmt::format("training a dictionary from {} samples ({} bytes): {}", sizes.size(),
                    joined.size(), ZDICT_getErrorName(n)));
  }
  dict.resize(n);
  return dict;
}

}  // namespace strata::log_codec
