// The check every fuzz input of the Glue DDL parser goes through, shared by the libFuzzer target
// (tests/fuzz/glue_ddl_fuzz.cc) and the replay of its seeds in the normal test run
// (tests/adapters/glue/fuzz_seeds_test.cc), so both hold the parser to the same contract:
//   - any bytes either parse or fail with InvalidArgument "fuzz.sql:LINE:COL: …" (ddl.h);
//   - what parses obeys the law: its rendering parses back to the same database and table, and
//     renders to the same text again.
// Crashes, hangs, stack overflows and sanitizer reports are not returned: they stop the process,
// which is how the fuzzer (and a failing test run) sees them. Pure; thread-compatible.
#pragma once

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <string_view>

#include "adapters/glue/ddl.h"

namespace strata::glue::fuzz {

inline constexpr std::string_view kFuzzFile = "fuzz.sql";

// "" when `input` keeps the contract above, else what broke it (with the texts involved).
inline std::string GlueDdlViolation(std::string_view input) {
  Result<ParsedTable> parsed = ParseCreateTable(input, kFuzzFile);
  if (!parsed.ok()) {
    const Status& error = parsed.status();
    if (error.code() != Code::kInvalidArgument) {
      return "a parse error that is not InvalidArgument: " + error.ToString();
    }
    if (!error.message().starts_with(std::string(kFuzzFile) + ":")) {
      return "a parse error that does not start with FILE:LINE:COL: " + error.message();
    }
    return "";
  }

  const std::string rendered = RenderCreateTable(parsed->database, parsed->table);
  Result<ParsedTable> again = ParseCreateTable(rendered, "rendered.sql");
  if (!again.ok()) {
    return "the rendering of a parsed table does not parse: " + again.status().message() +
           "\n--- rendered:\n" + rendered;
  }
  if (again->database != parsed->database) {
    return "the database changed from '" + parsed->database + "' to '" + again->database +
           "'\n--- rendered:\n" + rendered;
  }
  google::protobuf::util::MessageDifferencer differencer;
  std::string difference;
  differencer.ReportDifferencesToString(&difference);
  if (!differencer.Compare(parsed->table, again->table)) {
    return "parse(render(t)) is not t:\n" + difference + "--- rendered:\n" + rendered;
  }
  const std::string rendered_again = RenderCreateTable(again->database, again->table);
  if (rendered_again != rendered) {
    return "rendering is not a fixed point:\n--- first:\n" + rendered + "--- second:\n" +
           rendered_again;
  }
  return "";
}

}  // namespace strata::glue::fuzz
