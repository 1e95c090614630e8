#include "engine/log/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata::crc32c {
namespace {

TEST(CrcTest, KnownValues) {
  // The check value of the CRC-32C catalogue entry and RFC 3720 (iSCSI) vectors.
  EXPECT_EQ(Value("123456789"), 0xe3069283u);
  EXPECT_EQ(Value(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(Value(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending(32, '\0');
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<char>(i);
  EXPECT_EQ(Value(ascending), 0x46dd794eu);
  EXPECT_EQ(Value(""), 0u);
}

TEST(CrcTest, ExtendEqualsWholeAndHardwareEqualsPortable) {
  std::mt19937 rng(7);
  for (int n = 0; n < 300; ++n) {
    std::string data(n, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    const uint32_t whole = Value(data);
    EXPECT_EQ(whole, ExtendPortable(0, data.data(), data.size())) << n;
    for (int split : {0, n / 3, n / 2, n}) {
      EXPECT_EQ(Extend(Extend(0, data.data(), split), data.data() + split, n - split), whole);
    }
    // Unaligned starts exercise the hardware path's byte-at-a-time prologue.
    if (n > 3) {
      EXPECT_EQ(Value(std::string_view(data).substr(3)),
                ExtendPortable(0, data.data() + 3, n - 3));
    }
  }
}

TEST(CrcTest, MaskRoundTripsAndChangesTheValue) {
  const uint32_t crc = Value("strata");
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
}

TEST(CrcTest, DetectsEverySingleBitFlip) {
  std::string data = "segment 3 at offset 4096";
  const uint32_t crc = Value(data);
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = data;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      EXPECT_NE(Value(flipped), crc) << i << ":" << bit;
    }
  }
}

}  // namespace
}  // namespace strata::crc32c
