// The fault-injection Env itself, and the log under injected faults: short writes, fsync
// failures, power cuts, and a seeded crash loop checked against a model of what must survive.
#include "engine/log/fault_injection_env.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "tests/engine/log/log_test_util.h"

namespace strata {
namespace {

using log_test::PayloadGenerator;
using log_test::TempDir;

LogOptions CrashOptions() {
  LogOptions o;
  o.segment_target_bytes = 6 << 10;  // rolls (and their fsyncs) happen often
  o.dictionary_bytes = 2 << 10;
  o.dictionary_min_records = 16;
  o.dictionary_min_sample_bytes = 4 << 10;
  o.dictionary_max_sample_bytes = 64 << 10;
  return o;
}

TEST(FaultInjectionEnvTest, PowerCutKeepsOnlySyncedBytesAndDurableFiles) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  const std::string a = dir.path() + "/a";
  const std::string b = dir.path() + "/b";
  {
    auto f = env.OpenAppendable(a);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(env.SyncDir(dir.path()).ok());  // a's directory entry is durable
    ASSERT_TRUE((*f)->Append("synced").ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE((*f)->Append("+lost").ok());
    EXPECT_EQ(env.unsynced_bytes(a), 5u);
    auto g = env.OpenAppendable(b);
    ASSERT_TRUE(g.ok());
    ASSERT_TRUE((*g)->Append("never in the directory").ok());
    ASSERT_TRUE((*g)->Sync().ok());
  }
  ASSERT_TRUE(env.DropUnsyncedData().ok());
  EXPECT_EQ(log_test::ReadBytes(a), "synced");
  EXPECT_FALSE(std::filesystem::exists(b)) << "created after the last directory sync";
}

// A power cut that tears a write: part of the unsynced bytes reach the disk, as many as `keep`
// says per file (never more than were written), and from then on they count as synced.
TEST(FaultInjectionEnvTest, PowerCutCanKeepPartOfTheUnsyncedBytes) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  const std::string a = dir.path() + "/a";
  const std::string b = dir.path() + "/b";
  ASSERT_TRUE(env.SyncDir(dir.path()).ok());
  {
    auto f = env.OpenAppendable(a);
    auto g = env.OpenAppendable(b);
    ASSERT_TRUE(f.ok() && g.ok());
    ASSERT_TRUE(env.SyncDir(dir.path()).ok());
    ASSERT_TRUE((*f)->Append("synced").ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE((*f)->Append("+torn here").ok());
    ASSERT_TRUE((*g)->Append("all of it").ok());
  }
  std::map<std::string, uint64_t> asked;
  ASSERT_TRUE(env.DropUnsyncedData([&](const std::string& path, uint64_t unsynced) {
                   asked[path] = unsynced;
                   return path == a ? uint64_t{5} : uint64_t{1000};
                 }).ok());
  EXPECT_EQ(asked, (std::map<std::string, uint64_t>{{a, 10}, {b, 9}}));
  EXPECT_EQ(log_test::ReadBytes(a), "synced+torn");
  EXPECT_EQ(log_test::ReadBytes(b), "all of it");
  EXPECT_EQ(env.unsynced_bytes(a), 0u);
  ASSERT_TRUE(env.DropUnsyncedData().ok());  // nothing more to drop
  EXPECT_EQ(log_test::ReadBytes(a), "synced+torn");
}

TEST(FaultInjectionEnvTest, InjectedFaults) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  const std::string a = dir.path() + "/a";
  auto f = env.OpenAppendable(a);
  ASSERT_TRUE(f.ok());
  env.InjectShortWrite(3);
  Status s = (*f)->Append("abcdef");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_EQ(s.message(), "appending to " + a + ": injected short write (3 of 6 bytes)");
  EXPECT_EQ(log_test::ReadBytes(a), "abc");
  env.InjectSyncFailure();
  s = (*f)->Sync();
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_EQ(s.message(), "syncing " + a + ": injected fsync failure");
  EXPECT_EQ(env.unsynced_bytes(a), 3u);
  EXPECT_TRUE((*f)->Sync().ok()) << "one failure only";

  const uint64_t before = env.operation_count();
  env.FailAfter(2, 1);
  EXPECT_TRUE((*f)->Append("1").ok());
  s = (*f)->Append("22");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_EQ(s.message(), "appending to " + a + ": injected fault (operation " +
                             std::to_string(before + 2) + ")");
  EXPECT_FALSE((*f)->Sync().ok()) << "down until cleared";
  EXPECT_FALSE(env.SyncDir(dir.path()).ok());
  EXPECT_EQ(log_test::ReadBytes(a), "abc12");
  env.ClearFaults();
  EXPECT_TRUE((*f)->Sync().ok());
}

TEST(FaultInjectionEnvTest, ShortWriteThenReopenCutsThePartialRecord) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  PayloadGenerator gen(41);
  std::vector<std::string> acked;
  {
    auto writer = LogWriter::Open(&env, dir.log(), LogOptions{});
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 5; ++i) {
      acked.push_back(gen.Commit(3));
      ASSERT_TRUE((*writer)->Append(acked.back()).ok());
    }
    env.InjectShortWrite(11);
    auto pos = (*writer)->Append(gen.Commit(3));
    ASSERT_FALSE(pos.ok());
    EXPECT_EQ(pos.status().code(), Code::kIoError);
    auto after = (*writer)->Append("refused");
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(after.status().message().rfind("log " + dir.log() + ": an earlier write failed (", 0),
              0u)
        << after.status().message();
  }
  auto writer = LogWriter::Open(&env, dir.log(), LogOptions{});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->recovery().truncated);
  EXPECT_EQ((*writer)->recovery().dropped_bytes, 11u);
  EXPECT_NE((*writer)->recovery().detail.find("incomplete record (11 of "), std::string::npos)
      << (*writer)->recovery().detail;
  acked.push_back("after the short write");
  ASSERT_TRUE((*writer)->Append(acked.back()).ok());
  writer->reset();
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(&env, dir.log())), acked);
}

TEST(FaultInjectionEnvTest, FsyncFailureIsNotAnAcknowledgement) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  std::vector<std::string> acked = {"one", "two"};
  {
    auto writer = LogWriter::Open(&env, dir.log(), LogOptions{});
    ASSERT_TRUE(writer.ok());
    for (const auto& p : acked) ASSERT_TRUE((*writer)->Append(p).ok());
    env.InjectSyncFailure();
    auto pos = (*writer)->Append("three");
    ASSERT_FALSE(pos.ok());
    EXPECT_EQ(pos.status().code(), Code::kIoError);
    EXPECT_NE(pos.status().message().find("injected fsync failure"), std::string::npos);
    // No retry: after a failed fsync the page cache may not hold the bytes any more.
    EXPECT_EQ((*writer)->Append("four").status().code(), Code::kFailedPrecondition);
  }
  ASSERT_TRUE(env.DropUnsyncedData().ok());  // the power goes out
  auto writer = LogWriter::Open(&env, dir.log(), LogOptions{});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_EQ((*writer)->record_count(), 2u);
  writer->reset();
  EXPECT_EQ(log_test::Payloads(log_test::ReadAllRecords(&env, dir.log())), acked);
}

TEST(FaultInjectionEnvTest, PowerCutAfterAcknowledgedAppendsLosesNone) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  PayloadGenerator gen(42);
  std::vector<std::string> acked;
  {
    auto writer = LogWriter::Open(&env, dir.log(), CrashOptions());
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 120; ++i) {
      acked.push_back(gen.Commit(gen.Uniform(1, 4)));
      ASSERT_TRUE((*writer)->Append(acked.back()).ok());
    }
    // Written but never synced: these may vanish, and must do so whole.
    env.InjectSyncFailure();
    std::vector<std::string> tail = {gen.Commit(2), gen.Commit(2)};
    EXPECT_FALSE((*writer)->AppendBatch(tail).ok());
  }
  ASSERT_TRUE(env.DropUnsyncedData().ok());
  auto records = log_test::ReadAllRecords(&env, dir.log());
  EXPECT_EQ(log_test::Payloads(records), acked);
  EXPECT_GT(records.back().position.segment, 2u);
  auto writer = LogWriter::Open(&env, dir.log(), CrashOptions());
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_EQ((*writer)->record_count(), acked.size());
}

// RocksDB-style model check: a seeded loop of crashes at random operations, half of them
// power cuts. Invariants after every recovery: the log reads without error; every record
// acknowledged before the crash is there, in order; records after them are a prefix of what
// was attempted (never a record half there, never one out of thin air).
TEST(FaultInjectionEnvTest, RandomCrashLoopKeepsEveryAcknowledgedRecord) {
  TempDir dir;
  auto posix = NewPosixEnv();
  FaultInjectionEnv env(posix.get());
  PayloadGenerator gen(43);
  std::mt19937 rng(4242);
  std::vector<std::string> model;  // what may be in the log, in order
  size_t durable = 0;              // model[0, durable) must be there
  int injected = 0;
  int power_cuts = 0;
  int recovered_tails = 0;
  for (int iteration = 0; iteration < 200; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    // Sometimes the crash hits the recovery itself.
    if (rng() % 4 == 0) env.FailAfter(1 + rng() % 6, rng() % 40);
    auto writer = LogWriter::Open(&env, dir.log(), CrashOptions());
    if (writer.ok()) {
      if ((*writer)->recovery().truncated) ++recovered_tails;
      // An open writer has synced what it found.
      auto found = log_test::ReadAllRecords(&env, dir.log());
      ASSERT_GE(found.size(), durable);
      ASSERT_LE(found.size(), model.size());
      for (size_t i = 0; i < found.size(); ++i) ASSERT_EQ(found[i].payload, model[i]) << i;
      model.resize(found.size());
      durable = model.size();
      ASSERT_EQ((*writer)->record_count(), durable);
      env.FailAfter(1 + rng() % 40, rng() % 64);
      for (int op = 0; op < 12; ++op) {
        if (rng() % 3 == 0) {
          std::vector<std::string> batch;
          for (int k = 0; k < 1 + static_cast<int>(rng() % 5); ++k) {
            batch.push_back(gen.Commit(gen.Uniform(1, 4)));
          }
          model.insert(model.end(), batch.begin(), batch.end());
          if (!(*writer)->AppendBatch(batch).ok()) break;
        } else {
          model.push_back(gen.Commit(gen.Uniform(1, 4)));
          if (!(*writer)->Append(model.back()).ok()) break;
        }
        durable = model.size();
      }
      writer->reset();
    }
    if (env.operation_count() > 0 && rng() % 2 == 0) {
      ASSERT_TRUE(env.DropUnsyncedData().ok());
      ++power_cuts;
    }
    env.ClearFaults();
    ++injected;
    // A reader agrees whatever the crash left (torn tails are ignored, nothing is corrupt).
    auto reader = LogReader::Open(&env, dir.log());
    if (!reader.ok()) {
      ASSERT_EQ(reader.status().code(), Code::kNotFound) << reader.status().ToString();
      ASSERT_EQ(durable, 0u);
      continue;
    }
    std::vector<std::string> seen;
    Status s = (*reader)->Scan({}, [&](const RecordPosition&, std::string_view p) {
      seen.emplace_back(p);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GE(seen.size(), durable);
    ASSERT_LE(seen.size(), model.size());
    for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], model[i]) << i;
  }
  auto final_writer = LogWriter::Open(&env, dir.log(), CrashOptions());
  ASSERT_TRUE(final_writer.ok()) << final_writer.status().ToString();
  auto segments = env.ListDir(dir.log());
  ASSERT_TRUE(segments.ok());
  std::printf("crash loop: %d crashes, %d power cuts, %d torn tails cut, %zu records durable, "
              "%zu files\n",
              injected, power_cuts, recovered_tails, durable, segments->size());
  EXPECT_GE((*final_writer)->record_count(), durable);
  EXPECT_GT(recovered_tails, 10) << "the loop should exercise torn-tail recovery";
  EXPECT_GT(durable, 200u);
}

}  // namespace
}  // namespace strata
