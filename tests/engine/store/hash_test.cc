// Sha256 against the FIPS 180-2 examples, and HashHex: every commit's chain link depends on
// these bytes, so a change of implementation must give the same digests.
#include "engine/store/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace strata {
namespace {

TEST(Sha256Test, MatchesTheStandardsExamples) {
  EXPECT_EQ(HashHex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashHex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HashHex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, BinaryBytesAndEmbeddedZerosCount) {
  const std::string with_zero("a\0b", 3);
  EXPECT_NE(Sha256(with_zero), Sha256("a"));
  EXPECT_NE(Sha256(with_zero), Sha256(std::string("a\0c", 3)));
  EXPECT_EQ(Sha256(with_zero), Sha256(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace strata
