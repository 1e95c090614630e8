// The libFuzzer entry every target shares: STRATA_FUZZ_TARGET(Check) defines
// LLVMFuzzerTestOneInput around a check `std::string Check(std::string_view input)` (the pure
// function in the target's <name>_fuzz_body.h, "" when the parser kept its contract). A broken
// contract is printed and aborts, so libFuzzer keeps the input as a crash; crashes, hangs and
// sanitizer reports stop the process by themselves. Included once, by the target's <name>_fuzz.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define STRATA_FUZZ_TARGET(check)                                                      \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {            \
    const std::string violation =                                                      \
        check(std::string_view(reinterpret_cast<const char*>(data), size));            \
    if (!violation.empty()) {                                                          \
      std::fprintf(stderr, "contract broken (%s): %s\n", #check, violation.c_str());  \
      std::abort();                                                                    \
    }                                                                                  \
    return 0;                                                                          \
  }
