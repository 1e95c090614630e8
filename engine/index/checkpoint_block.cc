#include "engine/index/checkpoint_block.h"

namespace strata::index_format {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads a varint at `*pos`, moving past it; false when the bytes end or run over 64 bits.
bool GetVarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in[(*pos)++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace

void EncodeBlock(const std::vector<BlockEntry>& entries, std::string* out) {
  PutVarint(entries.size(), out);
  for (const BlockEntry& e : entries) {
    PutVarint(e.name.size(), out);
    out->append(e.name);
    PutVarint(e.fragment.size(), out);
  }
  for (const BlockEntry& e : entries) out->append(e.fragment);
}

Result<Block> DecodeBlock(std::string_view raw) {
  size_t pos = 0;
  uint64_t count = 0;
  // Each entry takes at least two header bytes: a larger count is damage, not a huge block.
  if (!GetVarint(raw, &pos, &count) || count > raw.size()) {
    return Status::Corruption("checkpoint block: bad entry count");
  }
  Block block;
  block.entries.reserve(count);
  std::vector<uint64_t> sizes;
  sizes.reserve(count);
  uint64_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t name_size = 0, fragment_size = 0;
    if (!GetVarint(raw, &pos, &name_size) || name_size > raw.size() - pos) {
      return Status::Corruption("checkpoint block: bad name length in entry " +
                                std::to_string(i + 1));
    }
    std::string_view name = raw.substr(pos, name_size);
    pos += name_size;
    if (!GetVarint(raw, &pos, &fragment_size) || fragment_size > raw.size()) {
      return Status::Corruption("checkpoint block: bad fragment length in entry " +
                                std::to_string(i + 1));
    }
    total += fragment_size;
    block.entries.push_back({name, {}});
    sizes.push_back(fragment_size);
  }
  if (total != raw.size() - pos) {
    return Status::Corruption("checkpoint block: fragments do not fill the block");
  }
  block.fragments = raw.substr(pos);
  for (uint64_t i = 0; i < count; ++i) {
    block.entries[i].fragment = raw.substr(pos, sizes[i]);
    pos += sizes[i];
  }
  return block;
}

void EncodeSeqs(const std::vector<uint64_t>& seqs, std::string* out) {
  uint64_t previous = 0;
  for (uint64_t s : seqs) {
    PutVarint(s - previous, out);
    previous = s;
  }
}

Status DecodeSeqs(std::string_view bytes, std::vector<uint64_t>* out) {
  size_t pos = 0;
  uint64_t previous = 0;
  while (pos < bytes.size()) {
    uint64_t delta = 0;
    if (!GetVarint(bytes, &pos, &delta) || delta == 0) {
      return Status::Corruption("index seq list is damaged");
    }
    previous += delta;
    out->push_back(previous);
  }
  return Status::Ok();
}

}  // namespace strata::index_format
