#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  // Nothing in strata writes to stdout through C stdio, so std::cout need not go through it:
  // a whole-schema `show` prints tens of thousands of pieces, each one a locked stdio call
  // otherwise. std::cerr stays tied to std::cout, so messages still follow what came before.
  std::ios::sync_with_stdio(false);
  return strata::cli::Main(argc, argv);
}
