// The diff law as a test assertion, for the Glue and PostgreSQL property and unit tests:
// every event of Diff(a, b) is valid and applies to a, and the result equals b.
#pragma once

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/validate.h"

namespace strata::testing {

// Returns the events of Diff(a, b); failures are reported with `label` and a readable diff of
// b against what the events built.
inline std::vector<pb::Event> ExpectDiffLaw(const pb::SchemaState& a, const pb::SchemaState& b,
                                            const std::string& label) {
  auto diff = Diff(a, b);
  EXPECT_TRUE(diff.ok()) << label << ": " << diff.status().ToString();
  if (!diff.ok()) return {};
  pb::SchemaState got = a;
  for (const auto& e : *diff) {
    Status valid = ValidateEvent(e);
    EXPECT_TRUE(valid.ok()) << label << ": " << valid.ToString() << "\n" << e.ShortDebugString();
    Status s = Apply(e, &got);
    EXPECT_TRUE(s.ok()) << label << ": " << s.ToString() << "\nevent: " << e.ShortDebugString();
  }
  std::string report;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&report);
  EXPECT_TRUE(d.Compare(b, got)) << label << "\n" << report;
  return *diff;
}

}  // namespace strata::testing
