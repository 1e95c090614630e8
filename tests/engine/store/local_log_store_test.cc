#include "engine/store/local_log_store.h"

#include <gtest/gtest.h>

#include "tests/engine/store/log_store_conformance.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata {
namespace {

using testing::LogStoreConformance;

class LocalFixture : public testing::LogStoreFixture {
 public:
  LocalFixture() : env_(NewPosixEnv()) {}
  std::unique_ptr<LogStore> Open() override {
    LocalLogStoreOptions o;
    o.env = env_.get();
    o.dir = tmp_ / "log";
    auto s = LocalLogStore::Open(std::move(o));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::unique_ptr<LogStore>(std::move(*s)) : nullptr;
  }
  std::string dir() const { return tmp_ / "log"; }
  Env* env() { return env_.get(); }

 private:
  std::unique_ptr<Env> env_;
  testing::TempDir tmp_;
};

INSTANTIATE_TEST_SUITE_P(LocalDirectory, LogStoreConformance,
                         ::testing::Values(testing::LogStoreCase{
                             "LocalDirectory",
                             [] { return std::make_unique<LocalFixture>(); }}),
                         testing::LogStoreCaseName);

// What the log directory adds to the contract: the entries are the segment format's commits,
// readable by CommitReader, with the head witness kept.
TEST(LocalLogStore, EntriesAreTheDirectorysCommitsWithTheWitnessKept) {
  LocalFixture f;
  auto store = f.Open();
  const std::string one = testing::EntryBytes(1, Hash{}, "a");
  ASSERT_TRUE(store->Append(1, one).ok());
  const std::string two = testing::EntryBytes(2, Sha256(one), "b");
  auto appended = store->Append(2, two);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  ASSERT_TRUE(appended->position.has_value());
  auto reader = CommitReader::Open(f.env(), f.dir());
  ASSERT_TRUE(reader.ok());
  auto head = (*reader)->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->seq, 2u);
  EXPECT_EQ(head->hash, Sha256(two));
  ASSERT_TRUE((*reader)->witness().has_value());
  EXPECT_EQ((*reader)->witness()->seq, 2u);
  EXPECT_FALSE(store->shared());
}

TEST(LocalLogStore, ALockHeldByAnotherWriterIsWaitedForAsTheOptionsSay) {
  LocalFixture f;
  auto holder = CommitWriter::Open(f.env(), f.dir(), LogOptions{});
  ASSERT_TRUE(holder.ok());
  int asked = 0;
  LocalLogStoreOptions o;
  o.env = f.env();
  o.dir = f.dir();
  o.on_lock_busy = [&]() -> Status {
    if (++asked == 3) return Status::FailedPrecondition("gave up waiting");
    return Status::Ok();
  };
  auto store = LocalLogStore::Open(std::move(o));
  ASSERT_TRUE(store.ok());
  auto r = (*store)->Append(1, testing::EntryBytes(1, Hash{}, "a"));
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "gave up waiting");
  EXPECT_EQ(asked, 3);
}

}  // namespace
}  // namespace strata
