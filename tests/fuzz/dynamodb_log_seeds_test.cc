// What particular seeds of the DynamoDB log fuzz target (tests/fuzz/dynamodb_log_seeds/) give:
// well-formed logs read whole, and the damaged ones refused with Corruption naming the commit.
// Every seed also goes through the target's own check in fuzz_seeds_test.cc.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/fuzz/dynamodb_log_fuzz_body.h"
#include "tests/fuzz/seeds.h"

namespace strata::fuzz {
namespace {

// The store over a seed's script, opened.
std::unique_ptr<dynamodb::DynamoLogStore> Open(const std::string& name) {
  dynamodb::DynamoLogStoreOptions o;
  o.table = "strata-log";
  o.query_page_items = 3;
  auto store = dynamodb::DynamoLogStore::Open(
      std::make_unique<ScriptedDynamoDb>(Seed("dynamodb_log", name)), o);
  EXPECT_TRUE(store.ok()) << name << ": " << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST(DynamoLogFuzzSeeds, WellFormedLogsReadWhole) {
  auto inline_items = Open("three_inline");
  ASSERT_NE(inline_items, nullptr);
  EXPECT_EQ(inline_items->ReadHead()->seq, 3u);
  auto read = inline_items->Read(1, 64);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->size(), 3u);
  auto parts = Open("parts");
  ASSERT_NE(parts, nullptr);
  ASSERT_TRUE(parts->ReadHead().ok());
  auto joined = parts->Read(1, 64);
  ASSERT_TRUE(joined.ok()) << joined.status().ToString();
  ASSERT_EQ(joined->size(), 2u);
  EXPECT_EQ((*joined)[1].payload.substr(0, 3), std::string("\x08\x02\x2a", 3));
}

// Found with the target's first seeds: a size no writer would store was reserved as it was
// (std::bad_alloc), and Items that were not a list were indexed as one (a JSON type error).
TEST(DynamoLogFuzzSeeds, ASizeThePartsCannotHoldIsCorruptionNotAnAllocation) {
  auto store = Open("parts_size_huge");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->ReadHead().ok());
  auto read = store->Read(1, 64);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kCorruption);
  EXPECT_NE(read.status().message().find(
                "commit 1: the item says 1000000000000000000 bytes in 1 parts, which strata "
                "never writes"),
            std::string::npos)
      << read.status().message();
}

TEST(DynamoLogFuzzSeeds, ItemsThatAreNotAListAreCorruption) {
  auto store = Open("items_not_a_list");
  ASSERT_NE(store, nullptr);
  auto head = store->ReadHead();
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_NE(head.status().message().find("a Query answer whose Items is not a list"),
            std::string::npos)
      << head.status().message();
}

// Found by the target: a DescribeTable answer whose KeySchema was not a list of objects threw
// a JSON type error out of the key check.
TEST(DynamoLogFuzzSeeds, ADescribeAnswerOfAnotherShapeIsATableWithoutTheLogsKeys) {
  dynamodb::DynamoLogStoreOptions o;
  o.table = "strata-log";
  auto store = dynamodb::DynamoLogStore::Open(
      std::make_unique<ScriptedDynamoDb>(Seed("dynamodb_log", "describe_key_schema_not_a_list")),
      o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("table strata-log has the keys none; a strata log "
                                          "needs partition key log (S) and sort key seq (N)"),
            std::string::npos)
      << store.status().message();
}

TEST(DynamoLogFuzzSeeds, AGapOrAWrongHashNamesTheCommit) {
  auto gap = Open("gap");
  ASSERT_NE(gap, nullptr);
  ASSERT_TRUE(gap->ReadHead().ok());
  auto read = gap->Read(1, 64);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("commit 2 is missing (the next entry is 3)"),
            std::string::npos)
      << read.status().message();
  auto bad = Open("bad_sha");
  ASSERT_NE(bad, nullptr);
  auto head = bad->ReadHead();
  ASSERT_FALSE(head.ok());
  EXPECT_NE(head.status().message().find("commit 1: the item's sha256 is not the hash of its "
                                         "payload"),
            std::string::npos)
      << head.status().message();
}

}  // namespace
}  // namespace strata::fuzz
