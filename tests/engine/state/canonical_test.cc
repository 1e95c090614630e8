// The canonical form's shortcuts agree with the full canonicalization they stand in for.
#include "engine/state/canonical.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tests/engine/testing/random_dynamo.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

// AddDynamoGlobalIndexCanonical must equal "append the index and its definitions, then
// canonicalize the whole table" for every table and index, including indexes whose names sort
// first, last or in between, keys already defined, keys undefined, and extra definitions.
TEST(CanonicalTest, AddingAGlobalIndexInPlaceEqualsFullCanonicalization) {
  testing::RandomDynamo r(20261122);
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    pb::DynamoTable table = r.Table("t");
    pb::DynamoTable donor = table;
    const std::string name = r.Pick<std::string>({"a0", "gsi2", "gsi9", "zz", "gsi_new1"});
    bool taken = false;
    for (const auto& g : table.global_indexes()) taken |= g.name() == name;
    if (taken) continue;
    donor.clear_attributes();
    r.AddGsi(&donor, name);
    const pb::DynamoGlobalIndex& index = donor.global_indexes(donor.global_indexes_size() - 1);
    google::protobuf::RepeatedPtrField<pb::DynamoAttributeDefinition> defs = donor.attributes();
    if (r.Chance(30)) {
      auto* extra = defs.Add();  // a definition no key uses: dropped either way
      extra->set_name("unused");
      extra->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
    }
    if (r.Chance(20)) defs.Clear();  // keys without definitions stay undefined either way

    pb::DynamoTable want = table;
    *want.add_global_indexes() = index;
    for (const auto& d : defs) {
      bool have = false;
      for (const auto& a : want.attributes()) have |= a.name() == d.name();
      if (!have) *want.add_attributes() = d;
    }
    CanonicalizeDynamoTable(&want);

    pb::DynamoTable got = table;
    AddDynamoGlobalIndexCanonical(index, defs, &got);
    ASSERT_TRUE(MessageDifferencer::Equals(got, want))
        << "case " << i << "\ngot:\n" << got.DebugString() << "\nwant:\n" << want.DebugString();
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace strata
