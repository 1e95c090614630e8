#include "engine/index/checkpoint_block.h"

#include <gtest/gtest.h>

namespace strata::index_format {
namespace {

std::string Encode(const std::vector<std::pair<std::string, std::string>>& items) {
  std::vector<BlockEntry> entries;
  for (const auto& [name, fragment] : items) entries.push_back({name, fragment});
  std::string out;
  EncodeBlock(entries, &out);
  return out;
}

TEST(CheckpointBlockTest, RoundTripsNamesAndFragmentsInOrder) {
  const std::vector<std::pair<std::string, std::string>> items = {
      {"", std::string("\x08\x01", 2)},
      {"orders", std::string(300, 'o')},  // a length above one varint byte
      {"orders.items", ""},
      {std::string("we\0ird", 6), "x"}};
  const std::string raw = Encode(items);
  auto block = DecodeBlock(raw);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  ASSERT_EQ(block->entries.size(), items.size());
  std::string all;
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(block->entries[i].name, items[i].first);
    EXPECT_EQ(block->entries[i].fragment, items[i].second);
    all += items[i].second;
  }
  EXPECT_EQ(block->fragments, all);  // back to back, so a block can parse in one go
}

TEST(CheckpointBlockTest, EmptyBlockDecodesToNoEntries) {
  auto block = DecodeBlock(Encode({}));
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->entries.empty());
  EXPECT_TRUE(block->fragments.empty());
}

// One case per kind of damage; each is Corruption naming what is wrong, never a crash.
TEST(CheckpointBlockTest, DamagedBlocksAreCorruption) {
  const std::string good = Encode({{"a", "123"}, {"b", "45"}});
  struct Case {
    std::string name, bytes, message;
  };
  std::vector<Case> cases = {
      {"empty", "", "bad entry count"},
      {"count beyond the block", std::string("\x7f", 1), "bad entry count"},
      {"unterminated count", std::string("\xff\xff", 2), "bad entry count"},
      {"name past the end", std::string("\x01\x09" "ab", 4), "bad name length in entry 1"},
      {"missing fragment length", std::string("\x01\x01" "a", 3),
       "bad fragment length in entry 1"},
      {"truncated fragments", good.substr(0, good.size() - 1), "do not fill the block"},
      {"trailing bytes", good + "z", "do not fill the block"},
  };
  for (const Case& c : cases) {
    auto block = DecodeBlock(c.bytes);
    ASSERT_FALSE(block.ok()) << c.name;
    EXPECT_EQ(block.status().code(), Code::kCorruption) << c.name;
    EXPECT_NE(block.status().message().find(c.message), std::string::npos)
        << c.name << ": " << block.status().ToString();
  }
}

TEST(SeqListTest, RoundTripsAscendingSeqsAndAppends) {
  const std::vector<uint64_t> seqs = {1, 2, 3, 130, 100000, (1ULL << 40) + 7};
  std::string bytes;
  EncodeSeqs(seqs, &bytes);
  EXPECT_LT(bytes.size(), seqs.size() * 8);  // deltas, not fixed width
  std::vector<uint64_t> out = {99};
  ASSERT_TRUE(DecodeSeqs(bytes, &out).ok());
  std::vector<uint64_t> expected = {99};
  expected.insert(expected.end(), seqs.begin(), seqs.end());
  EXPECT_EQ(out, expected);
}

TEST(SeqListTest, DamagedListsAreCorruption) {
  for (const std::string& bytes : {std::string("\x05\x00", 2), std::string("\x05\x80", 2)}) {
    std::vector<uint64_t> out;
    Status s = DecodeSeqs(bytes, &out);
    EXPECT_EQ(s.code(), Code::kCorruption);
    EXPECT_NE(s.message().find("seq list is damaged"), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace strata::index_format
