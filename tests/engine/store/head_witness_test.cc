// The head witness: its file format, and one test per kind of damage to the newest commits
// (docs/log-format.md, "The head witness"). Each damages a real log on disk and checks the
// exact code and message from a reader's scan, from ReadHead and from opening for write, and
// that a refused writer left every byte of the log as it was.
#include "engine/store/head_witness.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/log/crc32c.h"
#include "engine/log/fault_injection_env.h"
#include "engine/log/log_format.h"
#include "engine/store/commit_store.h"
#include "tests/engine/log/log_test_util.h"
#include "tests/engine/testing/dir_files.h"

namespace strata {
namespace {

using log_test::ReadBytes;
using log_test::SegmentFile;
using log_test::WriteBytes;

// About as large as a real small commit (a few hundred bytes stored), so that 100 bytes of a
// segment hold no whole commit, as with the commits of `strata generate`.
pb::Commit Tagging(int i) {
  pb::Commit c;
  c.set_origin(pb::ORIGIN_TAG);
  std::string note;  // hex digits of hashes: they do not compress away
  for (int k = 0; k < 4; ++k) note += HashHex(Sha256(std::to_string(i * 10 + k)));
  c.set_message("tag t" + std::to_string(i) + ": " + note);
  c.set_time_unix_micros(1000 + i);
  c.mutable_tag()->set_name("t" + std::to_string(i));
  c.mutable_tag()->set_target_seq(1);
  return c;
}

bool Contains(const Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

class HeadWitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewPosixEnv();
    dir_ = temp_.log();
  }

  // Appends commits first..last (by their tag names) and returns what was stored.
  std::vector<StoredCommit> Write(int first, int last, const LogOptions& options = {}) {
    auto w = CommitWriter::Open(env_.get(), dir_, options);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    std::vector<StoredCommit> out;
    for (int i = first; i <= last; ++i) {
      auto s = (*w)->Append(Tagging(i));
      EXPECT_TRUE(s.ok()) << s.status().ToString();
      if (s.ok()) out.push_back(*s);
    }
    return out;
  }

  Status ScanStatus(uint64_t* seen = nullptr, bool decode_ahead = false) {
    auto r = CommitReader::Open(env_.get(), dir_);
    if (!r.ok()) return r.status();
    CommitScanOptions o;
    o.decode_ahead = decode_ahead;
    uint64_t n = 0;
    Status s = (*r)->Scan(o, [&n](const ScannedCommit&) {
      ++n;
      return Status::Ok();
    });
    if (seen) *seen = n;
    return s;
  }

  Result<Head> ReadHead() {
    STRATA_ASSIGN_OR_RETURN(auto r, CommitReader::Open(env_.get(), dir_));
    return r->ReadHead();
  }

  // Opening for write must fail with Corruption containing `text` and change nothing.
  void ExpectWriterRefuses(const std::string& text) {
    const auto before = testing::DirFiles(dir_);
    auto w = CommitWriter::Open(env_.get(), dir_, LogOptions{});
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.status().code(), Code::kCorruption) << w.status().ToString();
    EXPECT_TRUE(Contains(w.status(), text)) << w.status().message();
    EXPECT_EQ(testing::DirFiles(dir_), before) << "a refused writer changed the log";
  }

  log_test::TempDir temp_;
  std::unique_ptr<Env> env_;
  std::string dir_;
};

TEST(HeadWitnessFormatTest, RoundTripsAndIsSeventyTwoBytes) {
  Witness w;
  w.seq = 1234567890123ull;
  for (size_t i = 0; i < w.hash.size(); ++i) w.hash[i] = static_cast<uint8_t>(i * 7);
  w.position = RecordPosition{3, 4096, 812};
  const std::string bytes = EncodeWitness(w);
  EXPECT_EQ(bytes.size(), kWitnessSize);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89SHEAD\r\n", 8));
  auto back = DecodeWitness(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, w);
}

TEST(HeadWitnessFormatTest, EveryFlippedBitIsCaught) {
  Witness w{14, {}, RecordPosition{1, 700, 60}};
  w.hash.fill(0xab);
  const std::string good = EncodeWitness(w);
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      auto d = DecodeWitness(bad);
      ASSERT_FALSE(d.ok()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(d.status().code(), Code::kCorruption);
      EXPECT_EQ(d.status().message().rfind("head witness is damaged (", 0), 0u);
    }
  }
}

TEST(HeadWitnessFormatTest, WrongSizeAndLaterVersionAreRefusedByName) {
  const std::string good = EncodeWitness(Witness{1, {}, RecordPosition{1, 20, 40}});
  EXPECT_EQ(DecodeWitness(good.substr(0, 10)).status().message(),
            "head witness is damaged (10 bytes where 72 were expected)");
  std::string v2 = good;
  log_format::EncodeFixed32(v2.data() + 8, 2);
  log_format::EncodeFixed32(v2.data() + 68,
                            crc32c::Mask(crc32c::Value(std::string_view(v2).substr(0, 68))));
  EXPECT_EQ(DecodeWitness(v2).status().message(),
            "head witness is damaged (unsupported format version 2; this build reads 1)");
}

TEST_F(HeadWitnessTest, EachAppendAndBatchLeavesTheWitnessAtTheNewestCommit) {
  auto written = Write(1, 3);
  auto w = ReadWitness(env_.get(), dir_);
  ASSERT_TRUE(w.ok() && w->has_value());
  EXPECT_EQ((*w)->seq, 3u);
  EXPECT_EQ((*w)->hash, written.back().hash);
  EXPECT_EQ((*w)->position, written.back().position);

  auto writer = CommitWriter::Open(env_.get(), dir_, LogOptions{});
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE((*writer)->witness_missing());
  EXPECT_EQ((*writer)->witness_note(), "");
  auto batch = (*writer)->AppendBatch({Tagging(4), Tagging(5)});
  ASSERT_TRUE(batch.ok());
  w = ReadWitness(env_.get(), dir_);
  EXPECT_EQ((*w)->seq, 5u);
  EXPECT_EQ((*w)->hash, batch->back().hash);
  EXPECT_FALSE(env_->Exists(dir_ + "/HEAD.tmp"));
}

TEST_F(HeadWitnessTest, EmptyLogHasNoWitnessAndNeedsNone) {
  auto w = CommitWriter::Open(env_.get(), dir_, LogOptions{});
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE((*w)->witness_missing());
  EXPECT_FALSE(env_->Exists(WitnessPath(dir_)));
  auto head = ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 0u);
}

// The measured bug: one byte flipped inside the newest commit made verify print ok (a torn
// tail) and the next write cut the acknowledged commit away.
TEST_F(HeadWitnessTest, FlippedByteInTheNewestCommitIsCorruptionAtItsSeq) {
  auto written = Write(1, 14);
  const RecordPosition last = written.back().position;
  log_test::FlipByte(SegmentFile(dir_, 1), last.offset + log_format::kFrameHeaderSize + 3);

  uint64_t seen = 0;
  Status scan = ScanStatus(&seen);
  EXPECT_EQ(scan.code(), Code::kCorruption);
  EXPECT_EQ(scan.message(),
            "commit 14 (acknowledged by the head witness) is missing or damaged: the log ends at "
            "seq 13 (segment 1: torn tail at offset " + std::to_string(last.offset) + " (" +
                std::to_string(last.stored_size) +
                " bytes: record with a checksum mismatch)); restore .strata from a backup");
  EXPECT_EQ(seen, 13u);
  EXPECT_EQ(ScanStatus(nullptr, /*decode_ahead=*/true).message(), scan.message());

  auto head = ReadHead();
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_EQ(head.status().message().rfind(
                "commit 14 was acknowledged (head witness) but the log ends at seq 13 (segment 1: "
                "torn tail at offset ", 0), 0u)
      << head.status().message();
  EXPECT_TRUE(Contains(head.status(), "the newest commits are damaged or missing (from seq 14); "
                                      "restore .strata from a backup"));
  ExpectWriterRefuses("commit 14 was acknowledged (head witness) but the log ends at seq 13");
}

// The measured bug: a one-segment log of 14 commits cut to 100 bytes verified as "ok: 0
// commits".
TEST_F(HeadWitnessTest, TruncatedTailIsCorruptionNamingTheFirstMissingSeq) {
  Write(1, 14);
  log_test::CutFile(SegmentFile(dir_, 1), 100);
  uint64_t seen = 0;
  Status scan = ScanStatus(&seen);
  EXPECT_EQ(scan.code(), Code::kCorruption);
  EXPECT_EQ(scan.message().rfind("commit 1 (acknowledged by the head witness) is missing or "
                                 "damaged: the log ends at seq 0 (segment 1: torn tail at offset ",
                                 0), 0u)
      << scan.message();
  EXPECT_EQ(seen, 0u);
  auto head = ReadHead();
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(head.status(),
                       "commit 14 was acknowledged (head witness) but the log ends at seq 0"))
      << head.status().message();
  ExpectWriterRefuses("(from seq 1)");
}

TEST_F(HeadWitnessTest, TailCutBetweenTwoWholeCommitsIsCorruptionToo) {
  auto written = Write(1, 14);
  log_test::CutFile(SegmentFile(dir_, 1), written[11].position.offset);  // ends at seq 11
  Status scan = ScanStatus();
  EXPECT_EQ(scan.message(),
            "commit 12 (acknowledged by the head witness) is missing or damaged: the log ends at "
            "seq 11; restore .strata from a backup");
  ExpectWriterRefuses("commit 14 was acknowledged (head witness) but the log ends at seq 11: ");
}

TEST_F(HeadWitnessTest, MissingLastSegmentIsCorruption) {
  LogOptions small;
  small.segment_target_bytes = 512;
  small.dictionary_bytes = 0;
  auto written = Write(1, 40, small);
  const uint32_t last_segment = written.back().position.segment;
  ASSERT_GE(last_segment, 3u);
  uint64_t first_in_last = 0;
  for (const auto& c : written) {
    if (c.position.segment == last_segment && first_in_last == 0) first_in_last = c.commit.seq();
  }
  std::filesystem::remove(SegmentFile(dir_, last_segment));

  Status scan = ScanStatus();
  EXPECT_EQ(scan.code(), Code::kCorruption);
  EXPECT_EQ(scan.message(), "commit " + std::to_string(first_in_last) +
                                " (acknowledged by the head witness) is missing or damaged: the "
                                "log ends at seq " + std::to_string(first_in_last - 1) +
                                "; restore .strata from a backup");
  auto head = ReadHead();
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(head.status(), "commit 40 was acknowledged (head witness) but the log "
                                      "ends at seq " + std::to_string(first_in_last - 1)))
      << head.status().message();
  ExpectWriterRefuses("commit 40 was acknowledged (head witness)");
}

TEST_F(HeadWitnessTest, DeletedWitnessIsReportedMissingAndTheNextAppendRecreatesIt) {
  Write(1, 14);
  std::filesystem::remove(WitnessPath(dir_));

  auto reader = CommitReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->witness().has_value());
  EXPECT_TRUE((*reader)->witness_status().ok());
  uint64_t seen = 0;
  EXPECT_TRUE(ScanStatus(&seen).ok());
  EXPECT_EQ(seen, 14u);
  ASSERT_TRUE(ReadHead().ok());

  auto w = CommitWriter::Open(env_.get(), dir_, LogOptions{});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE((*w)->witness_missing());
  EXPECT_EQ((*w)->witness_note(),
            "the log has no head witness (.strata was written before witnesses existed, or HEAD "
            "was removed); the next append writes one");
  auto stored = (*w)->Append(Tagging(15));
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE((*w)->witness_missing());
  auto witness = ReadWitness(env_.get(), dir_);
  ASSERT_TRUE(witness.ok() && witness->has_value());
  EXPECT_EQ((*witness)->seq, 15u);
  EXPECT_EQ((*witness)->hash, stored->hash);
}

TEST_F(HeadWitnessTest, DamagedWitnessFileIsCorruptionNotIgnored) {
  Write(1, 5);
  log_test::FlipByte(WitnessPath(dir_), 30);
  auto reader = CommitReader::Open(env_.get(), dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->witness_status().code(), Code::kCorruption);
  const std::string want = "head witness is damaged (" + WitnessPath(dir_) +
                           ": checksum mismatch); if the log reads whole up to the commit you "
                           "expect, remove HEAD (the next append writes a new one), else "
                           "restore the log from a backup";
  EXPECT_EQ((*reader)->witness_status().message(), want);
  auto head = (*reader)->ReadHead();
  EXPECT_EQ(head.status().code(), Code::kCorruption);
  EXPECT_EQ(head.status().message(), want);
  uint64_t seen = 0;
  Status scan = ScanStatus(&seen);
  EXPECT_EQ(scan.message(), want);
  EXPECT_EQ(seen, 5u) << "every commit is still visited before the witness is reported";
  ExpectWriterRefuses("head witness is damaged (");
}

TEST_F(HeadWitnessTest, WitnessOfAnotherLogIsCorruptionAtItsSeq) {
  Write(1, 14);
  const std::string other = temp_.path() + "/other";
  {
    auto w = CommitWriter::Open(env_.get(), other, LogOptions{});
    ASSERT_TRUE(w.ok());
    for (int i = 101; i <= 114; ++i) ASSERT_TRUE((*w)->Append(Tagging(i)).ok());
  }
  WriteBytes(WitnessPath(dir_), ReadBytes(WitnessPath(other)));
  uint64_t seen = 0;
  Status scan = ScanStatus(&seen);
  EXPECT_EQ(scan.code(), Code::kCorruption);
  EXPECT_TRUE(Contains(scan, "commit 14 (segment 1 at offset ")) << scan.message();
  EXPECT_TRUE(Contains(scan, "not the commit the head witness acknowledged (its hash differs)"));
  EXPECT_EQ(seen, 13u);
  EXPECT_EQ(ReadHead().status().message(),
            "commit 14 in the log is not the one the head witness acknowledged (its hash "
            "differs): history was rewritten from there, or HEAD belongs to another log; restore "
            ".strata from a backup");
  ExpectWriterRefuses("commit 14 in the log is not the one the head witness acknowledged");
}

// A crash after the log's fsync and before the witness write: the log is one commit ahead,
// which is no damage.
TEST_F(HeadWitnessTest, CrashBetweenLogFsyncAndWitnessWriteIsAccepted) {
  FaultInjectionEnv env(env_.get());
  StoredCommit fifteen;
  {
    auto w = CommitWriter::Open(&env, dir_, LogOptions{});
    ASSERT_TRUE(w.ok());
    for (int i = 1; i <= 13; ++i) ASSERT_TRUE((*w)->Append(Tagging(i)).ok());
    const uint64_t before = env.operation_count();
    ASSERT_TRUE((*w)->Append(Tagging(14)).ok());
    const uint64_t per_append = env.operation_count() - before;  // the witness write is last
    env.FailAfter(per_append, 0);
    auto failed = (*w)->Append(Tagging(15));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), Code::kIoError);
    EXPECT_EQ(failed.status().message().rfind(
                  "commit 15 reached the log but the head witness was not updated (the commit "
                  "stays in the log): ", 0), 0u)
        << failed.status().message();
    auto after = (*w)->Append(Tagging(16));
    EXPECT_EQ(after.status().code(), Code::kFailedPrecondition) << after.status().ToString();
  }
  ASSERT_TRUE(env.DropUnsyncedData().ok());
  auto witness = ReadWitness(&env, dir_);
  ASSERT_TRUE(witness.ok() && witness->has_value());
  EXPECT_EQ((*witness)->seq, 14u);

  uint64_t seen = 0;
  EXPECT_TRUE(ScanStatus(&seen).ok());
  EXPECT_EQ(seen, 15u);
  auto head = ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->seq, 15u);
  auto w = CommitWriter::Open(&env, dir_, LogOptions{});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ((*w)->head().seq, 15u);
  EXPECT_FALSE((*w)->recovery().truncated);
  EXPECT_EQ((*w)->witness_note(),
            "the head witness names commit 14, the log ends at 15 (appended, then interrupted "
            "before the witness was written); the next append brings it up to date");
  ASSERT_TRUE((*w)->Append(Tagging(16)).ok());
  EXPECT_EQ((*ReadWitness(&env, dir_))->seq, 16u);
}

// Several commits ahead (a batch, or appends by a strata that kept no witness): the witnessed
// commit is read where the witness says it is.
TEST_F(HeadWitnessTest, LogSeveralCommitsAheadOfTheWitnessIsCheckedAtTheWitnessedCommit) {
  Write(1, 14);
  const std::string old_witness = ReadBytes(WitnessPath(dir_));
  Write(15, 17);
  WriteBytes(WitnessPath(dir_), old_witness);
  auto head = ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->seq, 17u);
  EXPECT_TRUE(ScanStatus().ok());
  {
    auto w = CommitWriter::Open(env_.get(), dir_, LogOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ((*w)->head().seq, 17u);
  }
  // The same witness over another history of 18 commits is refused.
  const std::string copy = temp_.path() + "/rewritten";
  {
    auto w = CommitWriter::Open(env_.get(), copy, LogOptions{});
    ASSERT_TRUE(w.ok());
    for (int i = 201; i <= 218; ++i) ASSERT_TRUE((*w)->Append(Tagging(i)).ok());
  }
  WriteBytes(WitnessPath(copy), old_witness);
  auto reader = CommitReader::Open(env_.get(), copy);
  ASSERT_TRUE(reader.ok());
  auto rewritten = (*reader)->ReadHead();
  EXPECT_EQ(rewritten.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(rewritten.status(),
                       "commit 14 in the log is not the one the head witness acknowledged"))
      << rewritten.status().message();
}

// A torn write past the witness was never acknowledged: still cut back quietly.
TEST_F(HeadWitnessTest, TornUnacknowledgedTailIsStillCutBack) {
  FaultInjectionEnv env(env_.get());
  {
    auto w = CommitWriter::Open(&env, dir_, LogOptions{});
    ASSERT_TRUE(w.ok());
    for (int i = 1; i <= 14; ++i) ASSERT_TRUE((*w)->Append(Tagging(i)).ok());
    env.InjectShortWrite(11);
    auto torn = (*w)->Append(Tagging(15));
    ASSERT_FALSE(torn.ok());
    EXPECT_EQ(torn.status().code(), Code::kIoError);
  }
  EXPECT_EQ((*ReadWitness(&env, dir_))->seq, 14u);
  uint64_t seen = 0;
  EXPECT_TRUE(ScanStatus(&seen).ok());
  EXPECT_EQ(seen, 14u);
  auto head = ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 14u);

  auto w = CommitWriter::Open(&env, dir_, LogOptions{});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE((*w)->recovery().truncated);
  EXPECT_EQ((*w)->recovery().dropped_bytes, 11u);
  EXPECT_EQ((*w)->witness_note(), "");
  auto next = (*w)->Append(Tagging(15));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->commit.seq(), 15u);
}

}  // namespace
}  // namespace strata
