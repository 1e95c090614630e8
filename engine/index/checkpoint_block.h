// The byte layouts the index stores in BLOB columns: checkpoint blocks and seq lists.
//
// A checkpoint block holds the fragments (engine/state/fragments.h) of consecutive objects of
// one schema, compressed together so that similar tables share one zstd window:
//   varint count
//   count x { varint name_length, name, varint fragment_length }
//   the fragments, concatenated in the same order
// Keeping the fragments contiguous lets a whole DynamoDB or PostgreSQL block parse as one
// serialized SchemaState (protobuf concatenation merges map entries with distinct keys).
//
// A seq list is the ascending seqs of the commits that touched one object: varint deltas,
// the first from zero. Decoders return Corruption for bytes that do not follow the layout.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace strata::index_format {

struct BlockEntry {
  std::string_view name;
  std::string_view fragment;
};

struct Block {
  std::vector<BlockEntry> entries;
  std::string_view fragments;  // every fragment, back to back
};

// Appends the block of `entries` (in their order) to `out`.
void EncodeBlock(const std::vector<BlockEntry>& entries, std::string* out);
// A view into `raw`, which must outlive it.
Result<Block> DecodeBlock(std::string_view raw);

// Appends `seqs` (ascending) to `out`.
void EncodeSeqs(const std::vector<uint64_t>& seqs, std::string* out);
// Appends the decoded seqs to `out`.
Status DecodeSeqs(std::string_view bytes, std::vector<uint64_t>* out);

}  // namespace strata::index_format
