// libFuzzer target for the Glue DDL parser: arbitrary bytes into ParseCreateTable, and whatever
// parses through the render/re-parse law (glue_ddl_fuzz_body.h). A broken contract aborts with
// what broke it on stderr, so libFuzzer saves the input. Built only with STRATA_BUILD_FUZZ=ON and
// clang; how to build and run it is in docs/testing.md ("Fuzzing the DDL parser").
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/glue_ddl_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string violation = strata::glue::fuzz::GlueDdlLawViolation(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!violation.empty()) {
    std::fprintf(stderr, "glue DDL law broken: %s\n", violation.c_str());
    std::abort();
  }
  return 0;
}
