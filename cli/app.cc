#include "cli/app.h"

#include <cstdio>

namespace strata::cli {

int Main(int argc, char** argv) {
  std::fprintf(stderr, "strata: not built yet\n");
  return 1;
}

}  // namespace strata::cli
